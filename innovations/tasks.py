"""Celery tasks of the bank: bringing the search index's text part up to date, the spreadsheet
imports' jobs, and telling an innovator how their proposed change was reviewed.

Writers queue the documents whose text changed (models.SearchBacklog); this task applies the queue in
batches, each batch one transaction in which every lexeme's bitmap is rewritten once, however many
documents it covers. It is sent after each commit that queued something (signals.py) and by beat
every minute (entry "inovasi: indeks pencarian", created by a migration) for writes made outside the
ORM. Two at once are harmless: the database lets one apply at a time and the other finds less to do.
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from core.retries import retry_delay

from .models import ChangeStatus, InnovationChange

logger = logging.getLogger(__name__)

BATCH = 5000  # documents per transaction: a batch's arrays of vectors stay well under 100 MB
LARGE_BATCH = 10_000  # an import's own catch-up, in one batch: twice the arrays of a usual one


def catch_up(batch: int = BATCH) -> int:
    """Apply every queued document, a batch per transaction; how many were applied."""
    applied = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT innovations_search_index_catch_up(%s)", [batch])
            taken = cursor.fetchone()[0]
        applied += taken
        if taken < batch:
            return applied


# A batch of thousands of texts takes tens of seconds (docs/decisions/0002): its limits are its own,
# or a large queue would be cut short and retried for ever.
@shared_task(name="innovations.catch_up_search_index", soft_time_limit=1800, time_limit=1900)
def catch_up_search_index() -> int:
    started = time.monotonic()
    applied = catch_up()
    if applied:
        logger.info("search index: %d documents applied in %.2f s", applied, time.monotonic() - started)
    return applied


@shared_task(name="innovations.check_import")
def check_import(pk: int) -> None:
    from .spreadsheets import jobs

    jobs.check(pk)


# An import of 10,000 rows takes a minute or two: its time limits are its own.
@shared_task(name="innovations.run_import", soft_time_limit=1800, time_limit=1900)
def run_import(pk: int) -> None:
    from .spreadsheets import jobs

    jobs.run(pk)


def change_outcome_email(change) -> EmailMultiAlternatives:
    """The reviewed change told to its innovator, in their language, HTML and plain text."""
    from accounts.models import language_of

    user = change.proposed_by
    with translation.override(language_of(user)):
        context = {
            "change": change,
            "user": user,
            "innovation": change.innovation,
            "published": change.status == ChangeStatus.PUBLISHED,
            "link": settings.SITE_URL + reverse("innovation-detail", args=[change.innovation.slug]),
        }
        subject = (
            gettext("[Replikasi] Perubahan %(name)s diterbitkan")
            if context["published"]
            else gettext("[Replikasi] Perubahan %(name)s dikembalikan")
        ) % {"name": change.innovation.name}
        email = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("innovations/email/change_outcome.txt", context),
            to=[user.email],
        )
        html = render_to_string("innovations/email/change_outcome.html", context)
        email.attach_alternative(html, "text/html")
        return email


@shared_task(bind=True, name="innovations.send_change_outcome", max_retries=5)
def send_change_outcome(self, change_id: int) -> str:
    change = InnovationChange.objects.select_related("innovation", "proposed_by").get(pk=change_id)
    if change.proposed_by is None or not change.proposed_by.email:
        return "no recipient"
    try:
        change_outcome_email(change).send()
    except Exception as error:
        if self.request.retries >= self.max_retries:
            logger.error("change %s outcome email failed for good: %r", change_id, error)
            return "failed"
        delay = retry_delay(self.request.retries)
        raise self.retry(exc=error, countdown=delay) from error
    return "sent"


def enqueue_change_outcome(change_id: int) -> None:
    send_change_outcome.apply_async((change_id,), queue=settings.REMINDER_QUEUE)


@shared_task(name="innovations.apply_search_synonym", soft_time_limit=1800, time_limit=1900)
def apply_search_synonym(term: str, standard: str) -> int:
    """Re-analyse the innovations holding a synonym's term or its standard word (analysis.py)."""
    from . import analysis

    return analysis.apply_synonym(term, standard)


@shared_task(name="innovations.learn_search_words", soft_time_limit=3600, time_limit=3700)
def learn_search_words() -> tuple[int, int]:
    """Learn the lemmas of the bank's new words and re-analyse the innovations holding them."""
    from . import analysis

    learned, reanalysed = analysis.learn_bank()
    logger.info("search lemmas: %d words learned, %d innovations re-analysed", learned, reanalysed)
    return learned, reanalysed
