"""Cache invalidation for the bank: search results, facet counts, the facet sidebar's HTML and the
reference facet choices are cached in Redis.

Everything but the choices is keyed by a bank version that any write bumps; the choices are dropped
when a province, SDG or KIPP edition changes, and the version is bumped too, since the cached sidebar
shows their names. Bulk writes that bypass signals are covered by the short lifetime of the cached
pages (views.RESULTS_CACHE_SECONDS).
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from regions.models import Agency, Province

from .filters import BANK_VERSION_KEY, REFERENCE_CHOICES_KEY
from .models import SDG, Innovation, KippAward, KippEdition


def bump() -> None:
    try:
        cache.incr(BANK_VERSION_KEY)
    except ValueError:  # not set yet: the next read starts a version
        cache.set(BANK_VERSION_KEY, 1, timeout=None)


def bump_bank_version(**kwargs) -> None:
    """Now, and again after commit: a page that read old rows meanwhile cached them under a dead version."""
    bump()
    transaction.on_commit(bump)


def drop_reference_choices(**kwargs) -> None:
    def drop() -> None:
        cache.delete(REFERENCE_CHOICES_KEY)
        bump()

    transaction.on_commit(drop)


def connect() -> None:
    for model in (Innovation, KippAward, Agency):
        post_save.connect(bump_bank_version, sender=model, dispatch_uid=f"bank-version-save-{model.__name__}")
        post_delete.connect(
            bump_bank_version, sender=model, dispatch_uid=f"bank-version-delete-{model.__name__}"
        )
    m2m_changed.connect(bump_bank_version, sender=Innovation.sdgs.through, dispatch_uid="bank-version-sdgs")
    for model in (Province, SDG, KippEdition):
        post_save.connect(drop_reference_choices, sender=model, dispatch_uid=f"choices-{model.__name__}")
        post_delete.connect(
            drop_reference_choices, sender=model, dispatch_uid=f"choices-del-{model.__name__}"
        )
