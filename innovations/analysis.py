"""Indonesian lemmas for the search, learned from the bank's texts with Sastrawi (Nazief-Adriani,
dictionary based), stored in innovations_searchlemma for the database function replikasi_lexemes.

Sastrawi takes about 20 ms a word, far too slow for a write or a query, so it never runs on either:
`manage.py learn_search_words` (and the Celery task innovations.learn_search_words, daily) stems
the words of the bank not learned yet, then re-analyses the innovations holding them, whose documents
change and are queued for the search index as any edit is. Until a word is learned it is stemmed by
Snowball in documents and queries alike, so both always agree.
"""

from __future__ import annotations

import functools
import re

from django.db import connection, transaction

from . import search_config

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
BATCH = 2000  # words stored per statement
# Past this many new words, every innovation is re-analysed in one pass rather than searched for them.
TARGETED = 1000
# The texts of an innovation its search document reads (migration 0020's trigger).
TEXT = """concat_ws(' ', inn.name, inn.long_name, inn.summary, inn.background, inn.novelty,
    inn.implementation, inn.significance, inn.results_before, inn.results_after, inn.adaptability)"""


@functools.cache
def stemmer():
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    words = [word for word in StemmerFactory().get_words() if word and word not in search_config.NOT_ROOTS]
    return Stemmer(ArrayDictionary(words)), frozenset(words)


def lemma(word: str) -> str | None:
    """The word's lemma, or None when the dictionary does not know it (Snowball stems it)."""
    word = word.lower()
    if word in search_config.LEMMA_EXCEPTIONS:
        return search_config.LEMMA_EXCEPTIONS[word]
    if "-" in word:
        return None
    stem, roots = stemmer()
    found = stem.stem(word)
    return found if found in roots else None


def words_of(text: str) -> set[str]:
    """The words of a text as the database's parser cuts them: whole hyphenated words and their parts."""
    words = set()
    for word in WORD.findall(text.lower()):
        words.add(word)
        words.update(word.split("-"))
    return words


def learn(words) -> list[str]:
    """Store the lemmas of those ``words`` not learned yet; the words learned."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w FROM unnest(%s::text[]) AS w "
            "WHERE NOT EXISTS (SELECT FROM innovations_searchlemma WHERE word = w)",
            [sorted({word.lower() for word in words})],
        )
        new = [word for (word,) in cursor.fetchall()]
        if new:
            cursor.execute(
                "INSERT INTO innovations_searchlemma (word, lemma) "
                "SELECT * FROM unnest(%s::text[], %s::text[]) ON CONFLICT DO NOTHING",
                [new, [lemma(word) or "" for word in new]],
            )
    return new


def unlearned_words() -> list[str]:
    """Words of the bank's texts and of its agencies' names that have no lemma row yet (one pass)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT DISTINCT w.lexeme FROM innovations_innovation inn
                JOIN regions_agency agency ON agency.id = inn.owner_agency_id,
                unnest(to_tsvector('simple', {TEXT} || ' ' || agency.name)) AS w
                WHERE w.lexeme ~ '^[[:alpha:]-]+$'
                  AND NOT EXISTS (SELECT FROM innovations_searchlemma l WHERE l.word = w.lexeme)"""
        )
        return [word for (word,) in cursor.fetchall()]


def reanalyse(words: list[str] | None = None) -> int:
    """Rebuild the search documents of the innovations holding any of ``words`` (all: None); only
    documents whose vector changes are rewritten and queued for the index."""
    with transaction.atomic(), connection.cursor() as cursor:
        if words is None:
            cursor.execute("UPDATE innovations_innovation SET name = name")
        else:
            cursor.execute(
                f"""UPDATE innovations_innovation SET name = name WHERE id IN (
                    SELECT inn.id FROM innovations_innovation inn
                    JOIN regions_agency agency ON agency.id = inn.owner_agency_id
                    WHERE to_tsvector('simple', {TEXT} || ' ' || agency.name) @@ %s::tsquery)""",
                [" | ".join(f"'{word}'" for word in words)],
            )
        return cursor.rowcount


def learn_bank() -> tuple[int, int]:
    """Learn every unlearned word of the bank, then re-analyse the innovations holding them: how many
    words were learned and how many innovations re-analysed."""
    words = unlearned_words()
    new = [word for start in range(0, len(words), BATCH) for word in learn(words[start : start + BATCH])]
    if not new:
        return 0, 0
    return len(new), reanalyse(new if len(new) <= TARGETED else None)


def apply_synonym(term: str, standard: str) -> int:
    """After a synonym was added, changed or removed: learn its words, re-analyse the innovations
    holding any of them; how many were re-analysed."""
    words = sorted(words_of(term) | {standard})
    learn(words)
    return reanalyse(words)
