"""Liveness and readiness probes for the load balancer and the orchestrator."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """The process is alive and answers; touches nothing else."""
    return JsonResponse({"status": "ok"})


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_broker() -> None:
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
        broker.ensure_connection(max_retries=1, timeout=2)


@never_cache
@require_safe
def readyz(request):
    """The database and the broker are reachable; 503 naming each part that is not."""
    checks = {"database": check_database, "broker": check_broker}
    results, failing = {}, []
    for name, check in checks.items():
        try:
            check()
        except Exception as error:  # any failure of a dependency means "not ready", never a 500
            logger.warning("readiness check %s failed: %s", name, error)
            results[name] = f"error: {type(error).__name__}"
            failing.append(name)
        else:
            results[name] = "ok"
    body = {"status": "ok" if not failing else "unavailable", "checks": results, "failing": failing}
    return JsonResponse(body, status=503 if failing else 200)
