"""The two jobs of an uploaded spreadsheet (innovations.models.InnovationImport), run by Celery
(tasks.py): check it (read and plan every row, write nothing), and, once a person confirmed the
plan, import it. The import plans again first, since the bank may have changed in between, and is
refused whole if any row now fails. One import writes at a time (a unique constraint on the status);
a second confirmation while one runs is refused with a clear message.

Progress is kept in the cache (rows done), since the import's own transaction is invisible to the
page that polls it until it commits.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ImportStatus, InnovationImport
from . import importing, reading


def progress_key(pk: int) -> str:
    return f"innovations:import:{pk}:done"


def rows_done(job: InnovationImport) -> int:
    if job.status == ImportStatus.IMPORTING:
        return cache.get(progress_key(job.pk), 0)
    return job.rows_total if job.status == ImportStatus.DONE else 0


def report_of(plan: importing.ImportPlan) -> list[dict]:
    return [
        {
            "row": row.number,
            "name": row.name,
            "action": row.action,
            "errors": [str(error) for error in row.errors],
            "changes": importing.change_labels(row),
            "notes": [str(note) for note in row.notes],
        }
        for row in plan.rows
    ]


def plan_for(job: InnovationImport) -> importing.ImportPlan | None:
    """The job's plan, or None with the job refused when the file as a whole cannot be read."""
    try:
        rows = reading.read(bytes(job.data))
    except reading.SpreadsheetError as error:
        job.status, job.message, job.report, job.counts = ImportStatus.REFUSED, str(error), [], {}
        job.finished_at = timezone.now()
        job.save()
        return None
    return importing.plan_import(rows)


def check(pk: int) -> None:
    job = InnovationImport.objects.get(pk=pk)
    plan = plan_for(job)
    if plan is None:
        return
    job.report, job.counts, job.rows_total = report_of(plan), dict(plan.counts), len(plan.rows)
    job.status = ImportStatus.REFUSED if plan.errors else ImportStatus.CHECKED
    job.message = (
        _("%(count)s baris bermasalah: perbaiki lalu unggah lagi. Tidak ada yang ditulis.")
        % {"count": len(plan.errors)}
        if plan.errors
        else ""
    )
    job.save()


class AlreadyImporting(Exception):
    pass


def confirm(pk: int) -> None:
    """A person confirmed a checked plan: the job is the one importing now (or AlreadyImporting)."""
    try:
        with transaction.atomic():
            updated = InnovationImport.objects.filter(pk=pk, status=ImportStatus.CHECKED).update(
                status=ImportStatus.IMPORTING
            )
    except IntegrityError as error:
        raise AlreadyImporting from error
    if not updated:
        raise ValueError("not a checked import")
    cache.set(progress_key(pk), 0, timeout=24 * 3600)


def run(pk: int) -> None:
    job = InnovationImport.objects.get(pk=pk)
    if job.status != ImportStatus.IMPORTING:
        return  # run twice (a redelivered task): the first run finished it
    plan = plan_for(job)
    if plan is None:
        return
    job.report, job.counts, job.rows_total = report_of(plan), dict(plan.counts), len(plan.rows)
    if plan.errors:
        job.status = ImportStatus.REFUSED
        job.message = _(
            "Bank berubah sejak pemeriksaan: %(count)s baris kini bermasalah. Tidak ada yang ditulis."
        ) % {"count": len(plan.errors)}
    else:
        try:
            result = importing.apply(
                plan,
                progress=lambda done: cache.set(progress_key(pk), done, 24 * 3600),
                user=job.uploaded_by,
                source=job.filename,
                job=job,
            )
        except Exception as error:
            job.status = ImportStatus.FAILED
            job.message = _("Impor gagal, tidak ada yang ditulis: %(error)s") % {"error": error}
            job.finished_at = timezone.now()
            job.save()
            raise
        job.status, job.counts = ImportStatus.DONE, {**job.counts, "created": result["created"]}
        job.message = ""
    job.finished_at = timezone.now()
    job.save()
