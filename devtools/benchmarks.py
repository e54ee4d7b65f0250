"""What the benchmark commands share: a database of their own beside the site's, and a timer of SQL."""

import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, connections


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
