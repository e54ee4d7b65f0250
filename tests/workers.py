"""Real Celery workers for the tests that need one: a subprocess on the tests' own queues, against
the test database, sharing the tests' cache prefix."""

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The site's DATABASE_URL pointed at the test database: the same server, over TCP or over the
    embedded server's Unix socket (``postgresql://postgres@/name?host=/path``), whichever it names."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + quote(connection.settings_dict["NAME"])))


def worker_env(**extra) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        **extra,
    }


def start_worker(env: dict, queues: list[str], *options: str, pool="prefork", stderr=subprocess.DEVNULL):
    """A worker consuming only ``queues`` (unique per test, so tests in parallel never share one)."""
    pool_options = ["--pool", pool] + (["--concurrency", "1"] if pool == "prefork" else [])
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "replikasi", "worker", *pool_options, "--queues", ",".join(queues),
         "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle", *options],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True,
    )  # fmt: skip


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(30)


def forget(*queues: str) -> None:
    """Drop what is left in the tests' queues."""
    redis.Redis.from_url(settings.REDIS_URL).delete(*queues)
