from tests.portal.programme_world import world  # noqa: F401
