from django import forms
from django.utils.translation import gettext_lazy as _

from .statistics import DEFAULT_MEASURE, MEASURES

FIRST_YEAR, LAST_YEAR = 2000, 2100
YEAR_MESSAGE = _("Tahun tidak dikenal: tulis tahun dengan empat angka, mis. 2021. Ditampilkan semua tahun.")


class StatisticsFilterForm(forms.Form):
    """The statistics pages' filters: a year (a bad one is said and all years shown) and the map's
    measure (a bad one quietly gives the default)."""

    tahun = forms.IntegerField(
        label=_("Tahun"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": YEAR_MESSAGE, "min_value": YEAR_MESSAGE, "max_value": YEAR_MESSAGE},
    )
    ukuran = forms.ChoiceField(required=False, choices=[(measure, measure) for measure in MEASURES])

    def year(self) -> int | None:
        self.is_valid()
        return self.cleaned_data.get("tahun")

    def measure(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("ukuran") or DEFAULT_MEASURE

    def year_error(self) -> str | None:
        self.is_valid()
        errors = self.errors.get("tahun")
        return errors[0] if errors else None
