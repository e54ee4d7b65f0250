"""Which province or regency a person or a spreadsheet meant: a Kemendagri code (``13``, ``13.74``)
or a name in any of its usual spellings ("Kota Padang Panjang", "KOTA PADANG PANJANG", "Kab. Agam",
"Kabupaten Agam", "Prov. Sumatera Barat", "DKI Jakarta", "Jakarta Selatan").

One set of rules for every import (innovations, invitations): a name that fits several regions, an
unknown code or an unknown name is refused with the closest candidates named, never guessed. BPS
codes (``1374``) are refused too: they are not Kemendagri codes, and for some regencies the same
digits name another regency, so no mapping by their digits can be trusted.

    matcher = RegionMatcher()            # two queries, then any number of lookups
    matcher.find("Kab. Agam")            # -> <Regency 13.06>
    matcher.find("Solok")                # RegionNotFound: Kabupaten Solok (13.02), Kota Solok (13.72)
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from .models import Province, Regency, RegencyKind

PROVINCE_CODE = re.compile(r"^[0-9]{2}$")
REGENCY_CODE = re.compile(r"^[0-9]{2}\.[0-9]{2}$")
BPS_REGENCY_CODE = re.compile(r"^[0-9]{4}$")
SMALLER_AREA_CODE = re.compile(r"^[0-9]{2}\.[0-9]{2}\.[0-9]+(\.[0-9]+)?$")

# The words a name may start with, and what they say about the region.
KIND_WORDS = {
    "kabupaten": RegencyKind.KABUPATEN,
    "kab": RegencyKind.KABUPATEN,
    "kota": RegencyKind.KOTA,
    "kodya": RegencyKind.KOTA,
    "kotamadya": RegencyKind.KOTA,
}
PROVINCE_WORDS = {"provinsi", "propinsi", "prov", "prop"}
# Jakarta's five cities and one regency are "administrative"; people rarely write the word.
ADMINISTRATIVE = "administrasi"
# Other names people use for a province, normalised.
PROVINCE_ALIASES = {
    "dki jakarta": "daerah khusus ibukota jakarta",
    "jakarta": "daerah khusus ibukota jakarta",
    "dki": "daerah khusus ibukota jakarta",
    "di yogyakarta": "daerah istimewa yogyakarta",
    "diy": "daerah istimewa yogyakarta",
    "yogyakarta": "daerah istimewa yogyakarta",
    "jogja": "daerah istimewa yogyakarta",
    "babel": "kepulauan bangka belitung",
    "bangka belitung": "kepulauan bangka belitung",
    "kepri": "kepulauan riau",
    "ntb": "nusa tenggara barat",
    "ntt": "nusa tenggara timur",
}
CANDIDATES = 3


class RegionNotFound(ValueError):
    """The text names no region, or several; ``candidates`` are the closest regions, best first."""

    def __init__(self, message, candidates: list[Province | Regency] = ()):
        self.candidates = list(candidates)
        if self.candidates:
            named = ", ".join(f"{region.name} ({region.code})" for region in self.candidates)
            message = _("%(message)s Yang paling mirip: %(named)s.") % {"message": message, "named": named}
        self.message = message
        super().__init__(str(message))


def normalised(text: str) -> str:
    """Lower case, accents and punctuation gone, one space between words."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.split())


class RegionMatcher:
    """Every province and regency, read once, with the indexes the rules need."""

    def __init__(self, provinces=None, regencies=None):
        self.provinces = list(provinces if provinces is not None else Province.objects.order_by("code"))
        self.regencies = list(
            regencies
            if regencies is not None
            else Regency.objects.select_related("province").order_by("code")
        )
        self.by_code: dict[str, Province | Regency] = {p.code: p for p in self.provinces}
        self.by_code |= {r.code: r for r in self.regencies}
        self.province_by_name = {normalised(p.name): p for p in self.provinces}
        for alias, name in PROVINCE_ALIASES.items():
            if name in self.province_by_name:
                self.province_by_name.setdefault(alias, self.province_by_name[name])
        # A regency by its name without "Kabupaten"/"Kota" (and "Administrasi"): possibly several.
        self.regencies_by_base: dict[str, list[Regency]] = defaultdict(list)
        for regency in self.regencies:
            self.regencies_by_base[self.base_name(normalised(regency.name))[1]].append(regency)
        # For the closest candidates of a name no region has: full names, and names without their kind.
        self.names = {normalised(region.name): region for region in [*self.provinces, *self.regencies]}
        self.regions_by_base: dict[str, list[Province | Regency]] = defaultdict(list)
        for full, region in self.names.items():
            self.regions_by_base[self.base_name(full)[1]].append(region)

    @staticmethod
    def base_name(name: str) -> tuple[str | None, str]:
        """(the kind a name's first word says, the rest): "kab agam" -> (kabupaten, "agam")."""
        words = name.split()
        kind = None
        if len(words) > 1 and words[0] in KIND_WORDS:
            kind, words = KIND_WORDS[words[0]], words[1:]
        if len(words) > 1 and words[0] == ADMINISTRATIVE:
            words = words[1:]
        return kind, " ".join(words)

    def find(self, text: str, *, provinces: bool = True, regencies: bool = True) -> Province | Regency:
        """The one region ``text`` names (a province, a regency, or either); else RegionNotFound."""
        text = (text or "").strip()
        if not text:
            raise RegionNotFound(_("Wilayah kosong."))
        if PROVINCE_CODE.match(text) or REGENCY_CODE.match(text):
            return self.by_known_code(text, provinces=provinces, regencies=regencies)
        if BPS_REGENCY_CODE.match(text):
            raise RegionNotFound(
                _(
                    "“%(code)s” tampak seperti kode BPS. Kode BPS tidak diterima karena untuk sebagian "
                    "kabupaten/kota menunjuk wilayah lain; tulis kode Kemendagri (mis. 13.74) atau nama "
                    "wilayahnya."
                )
                % {"code": text}
            )
        if SMALLER_AREA_CODE.match(text):
            raise RegionNotFound(
                _("“%(code)s” adalah kode kecamatan atau desa, bukan provinsi atau kabupaten/kota.")
                % {"code": text}
            )
        return self.by_name(text, provinces=provinces, regencies=regencies)

    def by_known_code(self, code: str, *, provinces: bool, regencies: bool) -> Province | Regency:
        region = self.by_code.get(code)
        is_province = PROVINCE_CODE.match(code) is not None
        if region is not None and (provinces if is_province else regencies):
            return region
        if region is not None:  # a code of the other kind than the column asks for
            wanted = _("kabupaten/kota") if regencies else _("provinsi")
            raise RegionNotFound(
                _("Kode “%(code)s” adalah %(found)s, sedangkan yang diminta %(wanted)s.")
                % {"code": code, "found": region.name, "wanted": wanted}
            )
        close = [
            self.by_code[match]
            for match in difflib.get_close_matches(code, list(self.by_code), n=CANDIDATES * 3, cutoff=0.6)
            if (PROVINCE_CODE.match(match) is not None) == is_province
        ][:CANDIDATES]
        raise RegionNotFound(
            _("Tidak ada wilayah dengan kode Kemendagri “%(code)s”.") % {"code": code}, close
        )

    def by_name(self, text: str, *, provinces: bool, regencies: bool) -> Province | Regency:
        name = normalised(text)
        words = name.split()
        found: list[Province | Regency] = []
        if words and words[0] in PROVINCE_WORDS and len(words) > 1:
            name, regencies = " ".join(words[1:]), False
        if provinces and name in self.province_by_name:
            found.append(self.province_by_name[name])
        if regencies:
            kind, base = self.base_name(name)
            found += [r for r in self.regencies_by_base.get(base, []) if kind is None or r.kind == kind]
        if len(found) == 1:
            return found[0]
        if found:
            raise RegionNotFound(
                _(
                    "“%(text)s” cocok dengan lebih dari satu wilayah; "
                    "tulis “Kabupaten …”, “Kota …” atau kodenya."
                )
                % {"text": text},
                found,
            )
        raise RegionNotFound(
            _("Tidak ada wilayah bernama “%(text)s”.") % {"text": text},
            self.closest(name, provinces=provinces, regencies=regencies),
        )

    def closest(self, name: str, *, provinces: bool, regencies: bool) -> list[Province | Regency]:
        def allowed(region) -> bool:
            return provinces if isinstance(region, Province) else regencies

        found = [
            self.names[match] for match in difflib.get_close_matches(name, list(self.names), n=10, cutoff=0.6)
        ]
        for base in difflib.get_close_matches(
            self.base_name(name)[1], list(self.regions_by_base), cutoff=0.6
        ):
            found += [region for region in self.regions_by_base[base] if region not in found]
        return [region for region in found if allowed(region)][:CANDIDATES]
