"""A real Celery worker on the real broker runs a task end to end."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.core.cache import cache

from replikasi.celery import ping

ROOT = Path(__file__).resolve().parent.parent


def test_a_real_worker_consumes_a_task_from_the_broker(settings):
    token = uuid.uuid4().hex
    queue = f"test-{token}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "replikasi",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={**os.environ, "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"]},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        ping.apply_async(args=[token], queue=queue)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and cache.get(f"celery-ping:{token}") is None:
            assert worker.poll() is None, worker.stderr.read().decode()
            time.sleep(0.2)
        assert cache.get(f"celery-ping:{token}") == "pong"
    finally:
        worker.terminate()
        worker.wait(20)
        cache.delete(f"celery-ping:{token}")
