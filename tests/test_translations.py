"""Every string of the interface has an English translation, and the shipped .mo matches the .po."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def entries() -> list[dict[str, str]]:
    """A small .po reader: msgctxt, msgid, msgid_plural, msgstr and msgstr[n] of each entry, unescaped."""
    found, current, key = [], {}, None
    for line in PO.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current:
                found.append(current)
            current, key = {}, None
        elif line.startswith("#,"):
            current["flags"] = line
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgctxt", "msgid", "msgstr")):
            key = line.split(" ", 1)[0]
            current[key] = "".join(STRING.findall(line))
        elif line.startswith('"') and key:
            current[key] += "".join(STRING.findall(line))
    for entry in found:
        for field, value in entry.items():
            entry[field] = value.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
    return found


def test_every_interface_string_is_translated_to_english():
    missing = [
        entry["msgid"]
        for entry in entries()
        if entry.get("msgid")
        and not (entry.get("msgstr") or entry.get("msgstr[0]") and entry.get("msgstr[1]"))
    ]
    fuzzy = [
        entry["msgid"] for entry in entries() if "fuzzy" in entry.get("flags", "") and entry.get("msgid")
    ]
    assert missing == [] and fuzzy == []


def test_the_compiled_catalogue_matches_the_source():
    with translation.override("en"):
        stale = [
            entry["msgid"]
            for entry in entries()
            if entry.get("msgid") and "msgstr" in entry and translate(entry) != entry["msgstr"]
        ]
    assert stale == []


def translate(entry: dict[str, str]) -> str:
    if "msgctxt" in entry:
        return translation.pgettext(entry["msgctxt"], entry["msgid"])
    return translation.gettext(entry["msgid"])


def test_the_catalogue_holds_every_string_of_the_source(tmp_path, settings):
    """makemessages over the source adds no msgid the shipped catalogue lacks (needs GNU gettext)."""
    import shutil
    import subprocess
    import sys

    import pytest

    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is not installed: cannot regenerate the catalogue here")
    root = PO.parents[3]
    copy = tmp_path / "project"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".data", ".git", "tests", "__pycache__", "node_modules"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--ignore", "tests/*"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    regenerated = (copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    new_ids = set(re.findall(r'^msgid "(.+)"$', regenerated, re.MULTILINE))
    shipped_ids = set(re.findall(r'^msgid "(.+)"$', PO.read_text(encoding="utf-8"), re.MULTILINE))
    assert new_ids - shipped_ids == set(), "run `make messages` and translate the new strings"
