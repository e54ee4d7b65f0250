"""Indonesian full-text search over the bank: ranked retrieval, every word adding evidence.

A query is cut into words, each word is turned into lexemes by the database function
`replikasi_lexemes` (see search_config.py and migration 0023), and the lexemes are OR-ed: a record
holding only some of the words still matches. Its rank is the evidence of the words it holds: for
each lexeme, its rarity in the bank (an inverse document frequency, from the lexeme counts of the
search index) times its score in the record (innovations_lexeme_score: weights A (name) > B
(problem) > C (solution, results) > D (agency, region), normalised by length), the sum lifted by the
share of the query's rarity the record holds (all the words first). Summed per lexeme, so that the
search index ranks from its postings. Ties: how often the innovation has been replicated, its name.
See docs/decisions/0003-ranked-retrieval.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import F, FloatField, Func, IntegerField
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

MAX_QUERY_CHARS = 300
MAX_WORDS = 24
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
# Weights of D, C, B, A for ts_rank (PostgreSQL's order). The search's own, {0.05, 0.2, 0.4, 1.0}, are
# in the database function innovations_lexeme_score. Problem search favours what an innovation
# solves over what it is called.
PROBLEM_RANK_WEIGHTS = "{0.05, 0.6, 1.0, 0.5}"
# Find by problem's floor (querysets.problem_matches): the least share of the problem's rarity a record
# must hold, and the least fraction of the best record's score.
PROBLEM_MIN_SHARE = 0.1
PROBLEM_MIN_OF_BEST = 0.1
HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"
# The searched column: the narrow search rows (innovations.SearchDocument), never the wide innovations.
VECTOR = "innovations_searchdocument.search_vector"


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    MOST_REPLICATED = "replicated"
    NAME = "name"

    CHOICES = [
        (RELEVANCE, _("Paling relevan")),
        (NEWEST, _("Terbaru")),
        (MOST_REPLICATED, _("Paling banyak direplikasi")),
        (NAME, _("Nama (A–Z)")),
    ]
    ORDERING = {
        NEWEST: [F("launch_year").desc(nulls_last=True), "-created_at", "pk"],
        MOST_REPLICATED: ["-replication_count", "name", "pk"],
        NAME: ["name", "pk"],
    }


@dataclass(frozen=True)
class SearchTerms:
    """What a query string means to the search: its words and the lexemes each word became."""

    text: str
    words: tuple[str, ...] = ()
    lexemes_by_word: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # True: a record must hold every lexeme. False (ranked retrieval, what prepare() gives): any lexeme,
    # ranked by the evidence of those it holds.
    require_all: bool = False
    # The lexemes and the words' Snowball stems: what the snippet highlights (ts_headline stems so).
    highlighted: tuple[str, ...] = ()
    # Each lexeme's rarity in the bank (rarity()).
    rarity: dict[str, float] = field(default_factory=dict)
    # Lexemes with a bitmap in the search index (and their term ids), and lexemes no document holds,
    # counted or waiting for the index (search_index.answers).
    indexed: dict[str, int] = field(default_factory=dict)
    unknown: frozenset[str] = frozenset()

    @property
    def lexemes(self) -> list[str]:
        seen: dict[str, None] = {}
        for lexemes in self.lexemes_by_word.values():
            seen.update(dict.fromkeys(lexemes))
        return list(seen)

    @property
    def tsquery(self) -> str:
        """Every lexeme AND-ed (OR-ed when relaxed), quoted: words hold only letters, digits, hyphens."""
        operator = " & " if self.require_all else " | "
        return operator.join(f"'{lexeme}'" for lexeme in self.lexemes)

    @property
    def highlight_tsquery(self) -> str:
        return " | ".join(f"'{lexeme}'" for lexeme in self.highlighted or self.lexemes)

    def strict(self) -> SearchTerms:
        """The same words, matching only records that hold every one."""
        return replace(self, require_all=True)

    def relaxed(self) -> SearchTerms:
        """The same words, matching records that hold any of them."""
        return replace(self, require_all=False)

    @property
    def is_relaxed(self) -> bool:
        return not self.require_all and len(self.lexemes) > 1

    def weight(self, lexeme: str) -> float:
        """A lexeme's rarity, rounded so that every path sums the same numbers."""
        return round(self.rarity.get(lexeme, 1.0), 6)

    @property
    def weights(self) -> list[float]:
        return [self.weight(lexeme) for lexeme in self.lexemes]

    @property
    def total_weight(self) -> float:
        return sum(self.weights) or 1.0

    def __bool__(self) -> bool:
        return bool(self.lexemes)

    def words_for(self, matched_lexemes: list[str]) -> list[str]:
        """The user's own words behind the lexemes a record matched, in the order they were typed."""
        matched = {lexeme_of(item) for item in matched_lexemes or ()}
        return [word for word, lexemes in self.lexemes_by_word.items() if matched & set(lexemes)]

    def fields_for(self, matched_lexemes: list[str]) -> list[tuple[str, str]]:
        """Each matched word with the most telling part of the record that holds it (FIELD_LABELS)."""
        fields = {lexeme_of(item): field_of(item) for item in matched_lexemes or ()}
        found = []
        for word, lexemes in self.lexemes_by_word.items():
            held = sorted(fields[lexeme] for lexeme in lexemes if lexeme in fields)
            if held:
                found.append((word, held[0]))
        return found


# What a matched lexeme's weight says about where a record holds it (the search vector's weights).
FIELD_LABELS = {
    "A": _("nama"),
    "B": _("masalah"),
    "C": _("solusi/hasil"),
    "D": _("instansi/wilayah"),
}


def lexeme_of(matched: str) -> str:
    """A matched entry is "lexeme" or "lexeme:W" (W: the best weight the record holds it with)."""
    lexeme, _, weight = matched.rpartition(":")
    return lexeme if weight in FIELD_LABELS and lexeme else matched


def field_of(matched: str) -> str:
    lexeme, _, weight = matched.rpartition(":")
    return weight if weight in FIELD_LABELS and lexeme else "D"


def rarity(documents: int, holding: int) -> float:
    """The inverse document frequency of BM25: near 0 for a word nearly every record holds."""
    holding = min(holding, documents)
    return math.log(1 + (documents - holding + 0.5) / (holding + 0.5))


def clean_query(raw: str | None) -> str:
    """Whatever arrived in the query string, as at most MAX_QUERY_CHARS of plain words."""
    if not raw:
        return ""
    text = raw.replace("\x00", " ")[: MAX_QUERY_CHARS * 4]
    return " ".join(WORD.findall(text))[:MAX_QUERY_CHARS].strip()


def query_words(text: str) -> tuple[str, ...]:
    """The distinct words of a cleaned query, lower-cased, in the order typed: what decides its lexemes."""
    return tuple(dict.fromkeys(word.lower() for word in WORD.findall(text)))[:MAX_WORDS]


def prepare(raw: str | None) -> SearchTerms:
    """Turn a query string into lexemes with one round trip to the database (none for an empty query)."""
    text = clean_query(raw)
    words = query_words(text)
    if not words:
        return SearchTerms(text=text)
    with connection.cursor() as cursor:
        # Each word's lexemes, then each phrase of the synonyms the query holds ("keluarga berencana")
        # with its standard word's lexemes; per lexeme its documents, bitmap and whether any record
        # holds it; per word its Snowball stems too (the highlight's, ts_headline stems with them).
        cursor.execute(
            """SELECT w, lexemes,
                      ARRAY(SELECT ARRAY[lexeme, documents::text] FROM innovations_searchterm
                            WHERE lexeme = ANY(lexemes)),
                      (SELECT coalesce(bit_count(bits), 0) FROM innovations_searchfacet WHERE key = 'all'),
                      tsvector_to_array(to_tsvector('pg_catalog.indonesian', w)),
                      ARRAY(SELECT ARRAY[lexeme, id::text] FROM innovations_searchterm
                            WHERE lexeme = ANY(lexemes) AND bits IS NOT NULL),
                      ARRAY(SELECT l FROM unnest(lexemes) AS l WHERE NOT EXISTS (
                            SELECT FROM innovations_searchterm WHERE lexeme = l AND documents > 0)
                            AND NOT EXISTS (
                            SELECT FROM innovations_searchbacklog b
                            JOIN innovations_searchdocument d ON d.innovation_id = b.innovation_id
                            WHERE d.search_vector @@ innovations_lexeme_query(l)))
               FROM (SELECT w, n, tsvector_to_array(replikasi_lexemes(w)) AS lexemes
                     FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n)
                     UNION ALL
                     SELECT p.term, %s + row_number() OVER (ORDER BY p.term),
                            tsvector_to_array(replikasi_lexemes(p.standard))
                     FROM innovations_phrases_in(%s) AS p) AS stemmed
               ORDER BY n""",
            [list(words), MAX_WORDS, " ".join(words)],
        )
        rows = cursor.fetchall()
    size = max((row[3] or 0 for row in rows), default=0)
    held = {lexeme: int(count) for _, _, counts, *_ in rows for lexeme, count in counts}
    return SearchTerms(
        text=text,
        words=words,
        lexemes_by_word={word: tuple(lexemes) for word, lexemes, *_ in rows if lexemes},
        rarity={lexeme: rarity(size, held.get(lexeme, 0)) for _, found, *_ in rows for lexeme in found or ()},
        highlighted=tuple(dict.fromkeys(stem for row in rows for stem in [*(row[1] or ()), *(row[4] or ())])),
        indexed={lexeme: int(term) for *_, indexed, _ in rows for lexeme, term in indexed},
        unknown=frozenset(lexeme for *_, unknown in rows for lexeme in unknown),
    )


def any_of_words_sql() -> str:
    """SQL for an OR-tsquery of a text parameter's lexemes, built in the database (one placeholder)."""
    return (
        "(SELECT coalesce(string_agg(quote_literal(lexeme), ' | '), '')::tsquery "
        "FROM unnest(tsvector_to_array(replikasi_lexemes(%s))) AS lexeme)"
    )


def matches(terms: SearchTerms) -> RawSQL:
    from django.db.models import BooleanField

    return RawSQL(f"{VECTOR} @@ %s::tsquery", [terms.tsquery], BooleanField())


def matched_lexemes(terms: SearchTerms) -> RawSQL:
    """The query's lexemes this record holds, tested one by one inline (no subquery per row: the
    partial-match and find-by-problem rankings evaluate this over every matching record)."""
    from django.contrib.postgres.fields import ArrayField
    from django.db.models import TextField

    tests = ", ".join(
        [f"CASE WHEN {VECTOR} @@ %s::tsquery THEN %s || ':' || innovations_lexeme_field({VECTOR}, %s) END"]
        * len(terms.lexemes)
    )
    params = [value for lexeme in terms.lexemes for value in (f"'{lexeme}'", lexeme, lexeme)]
    return RawSQL(f"array_remove(ARRAY[{tests}]::text[], NULL)", params, ArrayField(TextField()))


def rank(terms: SearchTerms, weights: str | None = None) -> RawSQL:
    """Relevance (module docstring): each lexeme's rarity times its score in the record, summed, times
    (1 + the share of the query's rarity the record holds), rounded so that the search index (which
    sums its postings' scores the same way, search_index.page_sql) gives the same order. With other
    weights (find by problem) the lexemes' scores are ts_rank with those weights."""
    if weights is None:
        score = f"innovations_lexeme_score({VECTOR}, %s)"
        params = [value for lexeme in terms.lexemes for value in (lexeme, terms.weight(lexeme))]
    else:
        score = f"ts_rank(%s::float4[], {VECTOR}, innovations_lexeme_query(%s), 1)"
        params = [value for lexeme in terms.lexemes for value in (weights, lexeme, terms.weight(lexeme))]
    evidence = " + ".join([f"{score} * %s"] * len(terms.lexemes))
    held, held_params = held_rarity(terms)
    return RawSQL(
        f"round((({evidence}) * (1 + {held} / %s))::numeric, 9)::float8",
        [*params, *held_params, terms.total_weight],
        FloatField(),
    )


def held_rarity(terms: SearchTerms) -> tuple[str, list]:
    """SQL for the sum of the rarities of the query's lexemes a record holds."""
    test = f"CASE WHEN {VECTOR} @@ innovations_lexeme_query(%s) THEN %s ELSE 0 END"
    params = [value for lexeme in terms.lexemes for value in (lexeme, terms.weight(lexeme))]
    return "(" + " + ".join([test] * len(terms.lexemes)) + ")", params


def share(terms: SearchTerms) -> RawSQL:
    """The share of the query's rarity a record holds (1: every word)."""
    held, params = held_rarity(terms)
    return RawSQL(f"({held} / %s)::float8", [*params, terms.total_weight], FloatField())


class Cardinality(Func):
    function = "cardinality"
    output_field = IntegerField()


def coverage(matched) -> Func:
    return Cardinality(matched)


def headline(column: str, tsquery) -> RawSQL:
    """PostgreSQL's ts_headline of one text column, with the matches between control markers.

    ``tsquery`` is the query's text (SearchTerms.tsquery) or a prepared statement's argument slot.
    """
    from django.db.models import TextField

    options = (
        f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}, MaxWords=40, MinWords=18, "
        'MaxFragments=2, FragmentDelimiter=" … "'
    )
    return RawSQL(
        f"ts_headline('pg_catalog.indonesian', innovations_innovation.{column}, %s::tsquery, %s)",
        [tsquery, options],
        TextField(),
    )


def render_snippet(raw: str | None) -> SafeString:
    """Escape a headline, then turn its control markers into <mark> elements."""
    escaped = escape(raw or "")
    return mark_safe(escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>"))


def shorten(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    cut = text.rfind(" ", 0, max_chars)
    return text[: cut if cut > 0 else max_chars] + " …"
