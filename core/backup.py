"""A whole site in one file and back: the database (``pg_dump`` custom format) and the uploaded files
(MEDIA_ROOT, private letters and evidence included), in one tar archive.

The PostgreSQL client programs come from the ``pgserver`` wheel (PostgreSQL 16), which every install
has; a newer ``pg_dump`` reads an older server, so the same programs serve the embedded server and
the machine's or production's PostgreSQL 15 alike.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

DUMP_NAME = "database.dump"
MEDIA_PREFIX = "media"


class BackupError(Exception):
    pass


def client_program(name: str) -> str:
    import pgserver

    bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
    if bundled.exists():
        return str(bundled)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found (neither in the pgserver wheel nor on PATH)")
    return found


def libpq_environment(database: str | None = None, alias: str = "default") -> dict[str, str]:
    """The connection of ``alias`` (or the database ``database`` on the same server) as libpq's
    environment variables, so no password ever appears on a command line."""
    conf = connections[alias].settings_dict
    env = dict(os.environ)
    values = {
        # The embedded server's socket folder arrives as the URL's ?host= option.
        "PGHOST": conf.get("HOST") or conf.get("OPTIONS", {}).get("host") or "",
        "PGPORT": str(conf.get("PORT") or ""),
        "PGUSER": conf.get("USER") or "",
        "PGPASSWORD": conf.get("PASSWORD") or "",
        "PGDATABASE": database or conf["NAME"],
    }
    env.update({key: value for key, value in values.items() if value})
    return env


def run(args: list[str], env: dict[str, str]) -> None:
    finished = subprocess.run(args, env=env, capture_output=True, text=True)
    if finished.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {finished.stderr.strip()[-2000:]}")


def backup(target: Path, media_root: Path | None = None) -> dict[str, int]:
    """Write the archive ``target``; return what it holds (database bytes, files)."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DUMP_NAME
        run([client_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
            libpq_environment())  # fmt: skip
        files = 0
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=DUMP_NAME)
            if media_root.exists():
                for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
                    archive.add(path, arcname=f"{MEDIA_PREFIX}/{path.relative_to(media_root)}")
                    files += 1
        partial.replace(target)  # a half-written archive never has the final name
        return {"database_bytes": dump.stat().st_size, "files": files}


def restore(source: Path, *, database: str | None = None, media_root: Path | None = None) -> dict[str, int]:
    """Load the archive ``source`` into an empty database (the site's, or ``database`` on the same
    server) and its files under MEDIA_ROOT (or ``media_root``). Refuses a database that holds tables
    and a file that already exists, so a restore never mixes two sites."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    env = libpq_environment(database)
    try:
        archive = tarfile.open(source)  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{source} is not a backup archive: {error}") from error
    with archive, tempfile.TemporaryDirectory() as scratch:
        members = archive.getmembers()
        names = {member.name for member in members}
        if DUMP_NAME not in names:
            raise BackupError(f"{source} holds no {DUMP_NAME}: not a Replikasi backup")
        media = [m for m in members if m.name.startswith(MEDIA_PREFIX + "/") and m.isfile()]
        for member in media:
            relative = Path(member.name).relative_to(MEDIA_PREFIX)
            if relative.is_absolute() or ".." in relative.parts:
                raise BackupError(f"unsafe path in the archive: {member.name}")
            if (media_root / relative).exists():
                raise BackupError(
                    f"{media_root / relative} exists already: restore into an empty media folder"
                )
        check = subprocess.run(
            [client_program("psql"), "-tAc", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if check.returncode != 0:
            raise BackupError(f"psql failed: {check.stderr.strip()}")
        if int(check.stdout.strip() or 0):
            raise BackupError(f"database {env['PGDATABASE']} is not empty: restore into a new database")
        archive.extract(DUMP_NAME, scratch, filter="data")
        run([client_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
             f"--dbname={env['PGDATABASE']}", str(Path(scratch) / DUMP_NAME)], env)  # fmt: skip
        for member in media:
            relative = Path(member.name).relative_to(MEDIA_PREFIX)
            destination = media_root / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source_file, open(destination, "xb") as out:
                shutil.copyfileobj(source_file, out)
        return {"files": len(media)}
