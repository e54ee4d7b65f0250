"""What a write to the reference data invalidates: the ``reference`` cache version, behind the API's
reference lists and the search page's facet choices."""

from django.db.models.signals import post_delete, post_save

from core.caching import Version

from .models import Agency, Province, Regency

REFERENCE = Version("reference", "provinces, regencies, agencies, SDGs and KIPP editions")


def connect() -> None:
    for model in (Province, Regency, Agency):
        for signal in (post_save, post_delete):
            signal.connect(REFERENCE.bump, sender=model, dispatch_uid=f"reference-version-{model.__name__}")
