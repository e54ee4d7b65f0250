"""What the benchmark commands share: a database of their own beside the site's."""

from django.conf import settings
from django.db import connection, connections


def use_database(name: str, stdout) -> None:
    """Create the database `name` if it is missing, then point the default connection at it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone()
    if not exists:
        connection.ensure_connection()
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        stdout.write(f"created database {name}")
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    stdout.write(f"benchmark database: {name}")
