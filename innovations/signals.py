"""What a write to the bank invalidates. Search results, facet counts, the facet sidebar's HTML, the
home page's counts and related innovations are cached under the ``bank`` version, which any write to
an innovation, its agency, its awards or SDGs bumps (replications bump it too: the bank shows
replication counts). A province, SDG or KIPP edition bumps ``facet-choices``, ``reference`` and
``bank`` (the cached sidebar shows their names). Bulk writes that bypass signals are covered by the
short lifetime of the cached pages (views.RESULTS_CACHE_SECONDS).

A write that can change an innovation's text (the innovation, or the names of its agency and region)
also sends the search index's catch-up task once it commits (tasks.py), at most once a second: the
task runs a second later and takes in every write committed before it.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.caching import Version
from regions.models import Agency, Province, Regency
from regions.signals import REFERENCE

from .models import SDG, Innovation, KippAward, KippEdition

BANK = Version("bank", "innovations, their agencies, awards, SDGs and replication counts")
FACET_CHOICES = Version("facet-choices", "provinces, SDGs and KIPP editions: the search facets' choices")


def bump(**kwargs) -> None:
    BANK.bump()


CATCH_UP_DELAY = 1  # seconds


def send_catch_up() -> None:
    from .tasks import catch_up_search_index

    queue = settings.SEARCH_INDEX_QUEUE
    if cache.add(f"innovations:search-catch-up-sent:{queue}", True, timeout=CATCH_UP_DELAY):
        catch_up_search_index.apply_async(countdown=CATCH_UP_DELAY, queue=queue)


def text_changed(**kwargs) -> None:
    transaction.on_commit(send_catch_up, robust=True)  # a broker down never fails a saved write


def choices_changed(sender, **kwargs) -> None:
    FACET_CHOICES.bump()
    BANK.bump()
    if sender is not Province:  # a province bumps the reference version itself (regions.signals)
        REFERENCE.bump()


def connect() -> None:
    for model in (Innovation, KippAward, Agency):
        post_save.connect(bump, sender=model, dispatch_uid=f"bank-version-save-{model.__name__}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"bank-version-delete-{model.__name__}")
    for model in (Innovation, Agency, Regency, Province):
        post_save.connect(text_changed, sender=model, dispatch_uid=f"search-text-{model.__name__}")
        post_delete.connect(text_changed, sender=model, dispatch_uid=f"search-text-del-{model.__name__}")
    m2m_changed.connect(bump, sender=Innovation.sdgs.through, dispatch_uid="bank-version-sdgs")
    for model in (Province, SDG, KippEdition):
        post_save.connect(choices_changed, sender=model, dispatch_uid=f"choices-{model.__name__}")
        post_delete.connect(choices_changed, sender=model, dispatch_uid=f"choices-del-{model.__name__}")
