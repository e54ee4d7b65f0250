"""The database function behind every search vector and query follows the lists of search_config.py:
a list changed without a migration re-creating the function fails here."""

import pytest
from django.db import connection

from innovations.search_config import SPELLING_VARIANTS, STOP_WORDS

pytestmark = pytest.mark.django_db


def lexemes(words: list[str]) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, tsvector_to_array(replikasi_lexemes(w)) FROM unnest(%s::text[]) AS w", [words]
        )
        return dict(cursor.fetchall())


def test_every_stop_word_leaves_no_lexeme():
    assert {word: found for word, found in lexemes(STOP_WORDS).items() if found} == {}


def test_every_spelling_variant_becomes_the_standard_spelling_lexeme():
    found = lexemes([*SPELLING_VARIANTS, *SPELLING_VARIANTS.values()])
    assert {variant: found[variant] for variant in SPELLING_VARIANTS} == {
        variant: found[standard] for variant, standard in SPELLING_VARIANTS.items()
    }
    assert all(found[standard] for standard in SPELLING_VARIANTS.values())
