"""What the benchmark commands share: a database of their own beside the site's, and a timer of SQL."""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, connections

ROOT = Path(__file__).resolve().parent.parent


def use_database(name: str, stdout) -> None:
    """Create the database `name` if it is missing, then point the default connection at it.

    Works through the server's maintenance database, as Django's test runner does, so the site's
    own database need not exist yet.
    """
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
            stdout.write(f"created database {name}")
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    stdout.write(f"benchmark database: {name}")


@contextmanager
def sql_timer(record: list[float]):
    """Append the seconds each SQL statement run inside takes to ``record``."""

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            record.append(time.perf_counter() - started)

    with connection.execute_wrapper(wrapper):
        yield


def database_url(name: str) -> str:
    """The URL of the database ``name`` on the server of the default connection."""
    conf = connection.settings_dict
    host = conf.get("HOST") or conf.get("OPTIONS", {}).get("host") or ""
    user = quote(conf.get("USER") or "", safe="")
    password = f":{quote(conf['PASSWORD'], safe='')}" if conf.get("PASSWORD") else ""
    if host.startswith("/"):  # the embedded server's socket folder
        return f"postgresql://{user}{password}@/{name}?host={quote(host, safe='')}"
    return f"postgresql://{user}{password}@{host}:{conf.get('PORT') or 5432}/{name}"


@contextmanager
def production_server(database: str, workers: int, media_root: Path | None = None):
    """gunicorn serving ``database`` as production does (DEBUG off, static files collected and served
    by WhiteNoise, a cache key prefix of its own so it starts cold) on a free local port; yields the
    port and stops the server afterwards. Plain HTTP on 127.0.0.1, so TLS redirects are off."""
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=database_url(database),
            DEBUG="false",
            DEVTOOLS="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            STATIC_ROOT=str(Path(scratch) / "static"),
            MEDIA_ROOT=str(media_root or Path(scratch) / "media"),
            CACHE_KEY_PREFIX=f"bench-{secrets.token_hex(4)}",
            EMAIL_URL="dummymail://",
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "replikasi.wsgi:application", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        try:
            wait_for(port, server)
            yield port
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_for(port: int, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise CommandError(f"gunicorn stopped at start-up (exit {server.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise CommandError("gunicorn never answered /healthz")
