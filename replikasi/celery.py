import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "replikasi.settings")

app = Celery("replikasi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="replikasi.ping")
def ping() -> str:
    """A task that proves a worker is consuming the broker (used by /readyz checks and tests)."""
    return "pong"
