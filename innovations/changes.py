"""Innovators keep their records fresh; the national team keeps them right. Every rule of a proposed
change is here:

- an innovator (a member of the agency that owns the innovation) proposes changes to its public
  record; one change waits per innovation, and the innovator edits it until it is reviewed;
- national admins review it as a diff against the published record, then publish it (the record
  changes, with its history, and counts as reviewed today) or return it with a note;
- the published record never changes without that review; the innovator is emailed either way;
- confirming that the published record is still accurate counts as a review (the yearly reminder,
  replications/reminders, stops until the next year).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import roles_of

from . import links
from .models import (
    ChangeStatus,
    Innovation,
    InnovationChange,
    InnovationDocument,
    InnovationLink,
    ProposedDocument,
)

FIELDS = [
    "long_name", "summary", "background", "novelty", "implementation", "significance", "results_before",
    "results_after", "adaptability", "resources", "sustainability", "replication_prerequisites", "stage",
    "contact_name", "contact_email", "contact_phone",
]  # fmt: skip


LINKS = "links"  # not a field: the record's links, as [[title, url], …]
REMOVED_DOCUMENTS = "remove_documents"  # not a field: ids of the record's documents to take off


def current_links(innovation: Innovation) -> list[list[str]]:
    return [[link.title, link.url] for link in innovation.links.order_by("pk")]


def links_text(pairs: list[list[str]]) -> str:
    return links.as_text(pairs)


def may_propose(user, innovation: Innovation) -> bool:
    return innovation.owner_agency_id in roles_of(user).agency_ids


def may_review(user) -> bool:
    return roles_of(user).is_national_admin


def pending_of(innovation: Innovation) -> InnovationChange | None:
    return innovation.changes.filter(status=ChangeStatus.PENDING).first()


class NothingChanged(ValueError):
    pass


def propose(
    innovation: Innovation, user, values: dict, note: str = "", *, document: tuple[str, object] | None = None
) -> InnovationChange:
    """The innovation's waiting change, holding the values that differ from the published record (and
    ``document``, a (title, uploaded PDF) to add, held aside until the change is published)."""
    now = {
        name: current_links(innovation) if name == LINKS else getattr(innovation, name, []) for name in values
    }
    changed = {name: value for name, value in values.items() if now[name] != value}
    if not changed and document is None:
        raise NothingChanged(_("Tidak ada yang berubah dari catatan yang terbit."))
    with transaction.atomic():
        change = innovation.changes.select_for_update().filter(status=ChangeStatus.PENDING).first()
        change = change or InnovationChange(innovation=innovation)
        change.proposed_by, change.values, change.note = user, changed, note
        change.before = {name: now[name] for name in changed}
        change.save()
        if document is not None:
            title, upload = document
            ProposedDocument.objects.create(change=change, title=title, file=upload)
    return change


class AlreadyReviewed(ValueError):
    pass


def review(change: InnovationChange, reviewer, *, publish: bool, note: str = "") -> InnovationChange:
    """Publish the change onto the record (with its history) or return it with a note; the change's
    status decides once, under a row lock, so two reviewers cannot both act."""
    with transaction.atomic():
        locked = InnovationChange.objects.select_for_update().get(pk=change.pk)
        if locked.status != ChangeStatus.PENDING:
            raise AlreadyReviewed(_("Usulan perubahan ini sudah ditinjau."))
        locked.status = ChangeStatus.PUBLISHED if publish else ChangeStatus.RETURNED
        locked.review_note, locked.reviewed_by, locked.reviewed_at = note, reviewer, timezone.now()
        locked.save()
        if publish:
            innovation = Innovation.objects.select_for_update().get(pk=locked.innovation_id)
            for proposed in locked.documents.all():
                InnovationDocument.objects.create(
                    innovation=innovation, title=proposed.title, file=proposed.file.name
                )
            for name, value in locked.values.items():
                if name == REMOVED_DOCUMENTS:
                    innovation.documents.filter(pk__in=value).delete()
                elif name == LINKS:
                    innovation.links.all().delete()
                    InnovationLink.objects.bulk_create(
                        [InnovationLink(innovation=innovation, title=title, url=url) for title, url in value]
                    )
                else:
                    setattr(innovation, name, value)
            innovation.last_reviewed_on = timezone.localdate()
            innovation._change_reason = _("Perubahan dari inovator, diterbitkan setelah ditinjau")
            innovation.save()
    from .tasks import enqueue_change_outcome

    transaction.on_commit(lambda: enqueue_change_outcome(locked.pk))
    return locked


@dataclass
class FieldDiff:
    name: str
    label: str
    before: str
    after: str
    words: list[tuple[str, str]]  # (" ", word) kept, ("-", word) removed, ("+", word) added


def diff(change: InnovationChange) -> list[FieldDiff]:
    """Each changed field against the record as it is published now, word by word."""
    innovation = change.innovation
    rows = []
    proposed = [document.title for document in change.documents.all()]
    if proposed or REMOVED_DOCUMENTS in change.values:
        removed = set(change.values.get(REMOVED_DOCUMENTS, []))
        titles = [(document.pk, document.title) for document in innovation.documents.order_by("pk")]
        before = "; ".join(title for _pk, title in titles)
        after = "; ".join([*(title for pk, title in titles if pk not in removed), *proposed])
        rows.append(FieldDiff("documents", _("dokumen"), before, after, word_diff(before, after)))
    for name, after in change.values.items():
        if name == REMOVED_DOCUMENTS:
            continue
        if name == LINKS:
            before, after = links_text(current_links(innovation)), links_text(after)
            rows.append(FieldDiff(name, _("tautan"), before, after, word_diff(before, after)))
            continue
        field = Innovation._meta.get_field(name)
        before = str(getattr(innovation, name) or "")
        after = str(after or "")
        if field.choices:
            choices = dict(field.flatchoices)
            before, after = str(choices.get(before, before)), str(choices.get(after, after))
        rows.append(FieldDiff(name, str(field.verbose_name), before, after, word_diff(before, after)))
    return rows


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    return [
        (line[0], line[2:])
        for line in difflib.ndiff(before.split(), after.split())
        if not line.startswith("?")
    ]


def confirm_accurate(innovation: Innovation, user) -> None:
    """The innovator confirms the published record is still accurate: that counts as its review."""
    innovation.last_reviewed_on = timezone.localdate()
    innovation._change_reason = _("Dikonfirmasi masih akurat oleh inovator")
    innovation.save(update_fields=["last_reviewed_on", "updated_at"])
