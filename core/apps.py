from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Infrastructure with no domain knowledge: API foundations, caching, exports, database helpers."""

    name = "core"
