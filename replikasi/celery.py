import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "replikasi.settings")

app = Celery("replikasi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="replikasi.ping")
def ping(token: str) -> str:
    """Leave a mark in the cache: proves a worker consumes the broker and reaches Redis (operators, tests)."""
    from django.core.cache import cache

    cache.set(f"celery-ping:{token}", "pong", timeout=300)
    return "pong"
