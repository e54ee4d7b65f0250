"""Write the site (database and uploaded files) to one archive: ``manage.py backup replikasi.tar``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back the database and the uploaded files up into one tar archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        try:
            held = backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{archive}: database {held['database_bytes'] / 2**20:.1f} MB, {held['files']} files"
        )
