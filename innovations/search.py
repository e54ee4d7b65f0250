"""Indonesian full-text search over the bank.

A query is cut into words, each word is turned into lexemes by the database function
`replikasi_lexemes` (the `indonesian` stemmer with stop words removed and spelling variants folded:
see search_config.py), and the lexemes are OR-ed: a record that holds only some of the words still
matches, ranked below the ones that hold more. Ranking: the share of the query's lexemes a record
holds first, then the sum of its `ts_rank` for each lexeme (weights A (name) > B (problem) > C
(solution, results) > D (agency, region), normalised by length; summed per lexeme so that the search
index can rank from its postings), then how often the innovation has been replicated.
"""

from __future__ import annotations

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
    # True: a record must hold every lexeme. False: any lexeme, ranked by how many (see relaxed()).
    require_all: bool = True
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

    def relaxed(self) -> SearchTerms:
        """The same words, matching records that hold any of them."""
        return replace(self, require_all=False)

    @property
    def is_relaxed(self) -> bool:
        return not self.require_all and len(self.lexemes) > 1

    def __bool__(self) -> bool:
        return bool(self.lexemes)

    def words_for(self, matched_lexemes: list[str]) -> list[str]:
        """The user's own words behind the lexemes a record matched, in the order they were typed."""
        matched = set(matched_lexemes or ())
        return [word for word, lexemes in self.lexemes_by_word.items() if matched & set(lexemes)]


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
        cursor.execute(
            """SELECT w, lexemes,
                      ARRAY(SELECT ARRAY[lexeme, id::text] FROM innovations_searchterm
                            WHERE lexeme = ANY(lexemes) AND bits IS NOT NULL),
                      ARRAY(SELECT l FROM unnest(lexemes) AS l WHERE NOT EXISTS (
                            SELECT FROM innovations_searchterm WHERE lexeme = l AND documents > 0)
                            AND NOT EXISTS (
                            SELECT FROM innovations_searchbacklog b
                            JOIN innovations_searchdocument d ON d.innovation_id = b.innovation_id
                            WHERE d.search_vector @@ innovations_lexeme_query(l)))
               FROM (SELECT w, n, tsvector_to_array(replikasi_lexemes(w)) AS lexemes
                     FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n)) AS stemmed
               ORDER BY n""",
            [list(words)],
        )
        rows = cursor.fetchall()
    return SearchTerms(
        text=text,
        words=words,
        lexemes_by_word={word: tuple(lexemes) for word, lexemes, _, _ in rows if lexemes},
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

    tests = ", ".join([f"CASE WHEN {VECTOR} @@ %s::tsquery THEN %s END"] * len(terms.lexemes))
    params = [value for lexeme in terms.lexemes for value in (f"'{lexeme}'", lexeme)]
    return RawSQL(f"array_remove(ARRAY[{tests}]::text[], NULL)", params, ArrayField(TextField()))


def rank(terms: SearchTerms, weights: str | None = None) -> RawSQL:
    """Relevance: the sum of the query's lexemes' scores (innovations_lexeme_score, migration 0012), as
    the search index sums its postings. With other weights (find by problem): ts_rank of the query."""
    if weights is None:
        scores = " + ".join([f"innovations_lexeme_score({VECTOR}, %s)"] * len(terms.lexemes))
        return RawSQL(f"({scores})", terms.lexemes, FloatField())
    return RawSQL(
        f"ts_rank(%s::float4[], {VECTOR}, %s::tsquery, 1)",
        [weights, terms.tsquery],
        FloatField(),
    )


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
