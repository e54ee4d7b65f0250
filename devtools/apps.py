from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Demo data and benchmarks, installed only for development (settings.DEVTOOLS)."""

    name = "devtools"
