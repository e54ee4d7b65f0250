"""Import innovations from a spreadsheet (XLSX or CSV, the columns of the template).

    python manage.py import_innovations bank.xlsx            # the plan only: nothing is written
    python manage.py import_innovations bank.xlsx --commit   # then the import, in one transaction

Every row is listed as new, changed (which fields), unchanged or in error, with its row number.
With --commit the import runs only when no row has an error.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from innovations.spreadsheets import importing, reading


class Command(BaseCommand):
    help = "Import innovations from an XLSX or CSV file (a plan first; --commit writes it)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--commit", action="store_true", help="write the import when no row has an error")
        parser.add_argument("--quiet-rows", action="store_true", help="print the totals only")

    def handle(self, *args, path, commit, quiet_rows, **options):
        try:
            rows = reading.read(Path(path).read_bytes())
        except OSError as error:
            raise CommandError(str(error)) from error
        except reading.SpreadsheetError as error:
            raise CommandError(str(error)) from error
        plan = importing.plan_import(rows)
        if not quiet_rows:
            for row in plan.rows:
                details = row.errors or importing.change_labels(row)
                self.stdout.write(
                    f"row {row.number}: {row.action} {row.name}"
                    + (f" ({'; '.join(map(str, details))})" if details else "")
                    + "".join(f"\n    {note}" for note in row.notes)
                )
        counts = plan.counts
        actions = (importing.NEW, importing.CHANGED, importing.UNCHANGED, importing.ERROR)
        self.stdout.write(", ".join(f"{action}: {counts.get(action, 0)}" for action in actions))
        if not commit:
            return
        if plan.errors:
            raise CommandError(f"nothing imported: {len(plan.errors)} rows have errors")
        result = importing.apply(plan, source=Path(path).name)
        self.stdout.write(
            f"imported: {result['created']} created, {counts.get(importing.CHANGED, 0)} changed"
        )
