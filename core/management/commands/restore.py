"""Load an archive of ``manage.py backup`` into an empty database and media folder:
``manage.py restore replikasi.tar [--database NAME] [--media DIR]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and an empty media folder."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database", default=None, help="another empty database on the same server")
        parser.add_argument(
            "--media", type=Path, default=None, help="another media folder (default MEDIA_ROOT)"
        )

    def handle(self, *args, archive: Path, database, media, **options):
        try:
            held = restore(archive, database=database, media_root=media)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {archive}: the database and {held['files']} files")
