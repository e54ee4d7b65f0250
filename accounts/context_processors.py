from .roles import roles_of


def roles(request):
    """The signed-in user's roles for the navigation (read from the cache between requests)."""
    return {"roles": roles_of(getattr(request, "user", None))}
