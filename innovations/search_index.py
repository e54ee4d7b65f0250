"""Results, facet counts and a page from the search index: bitmaps and postings (migration 0012).

Every facet value has a bitmap of the documents holding it (bit n: innovation n), and so has every
lexeme held by enough documents. A query's matches are the AND (OR when relaxed) of its lexemes'
bitmaps; a facet's counts are bit counts of the matches, narrowed by the other facets' selections,
AND-ed with each value's bitmap. No document row is read to count, however many match: the broadest
query of the bank costs what the narrowest does. The page comes from the lexemes' postings (one score
per document and lexeme, summed) when ordered by relevance, or from the sort's own index otherwise.

The same statement as filters.gather, which reads the documents themselves: a query holding a lexeme
with no bitmap yet (a rare one, so few matches) goes there. Both give the same counts and the same
order: the page tests run both ways (tests/innovations/conftest.py, search_path).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from . import search

FACET_NAMES = ["category", "sdg", "province", "level", "kipp_year", "tier", "group", "replicated"]
# The facets whose values are whole bitmap keys ("category:health"); the award facets share keys
# "award:year:tier:group", since together they describe one award.
KEYED_FACETS = ("category", "sdg", "province", "level", "replicated")
AWARD_FACETS = {"kipp_year": 2, "tier": 3, "group": 4}  # the part of an award key each one reads
# Up to this many results, a page in an order of the documents reads them all by id and sorts them.
FEW_RESULTS = 1000
# The page in each ordering but relevance, over the documents (search.Sort's orderings).
DOCUMENT_ORDER = {
    search.Sort.NEWEST: "launch_year DESC NULLS LAST, created_at DESC, innovation_id",
    search.Sort.MOST_REPLICATED: "replication_count DESC, name, innovation_id",
    search.Sort.NAME: "name, innovation_id",
}


def reversed_order(order: str) -> list[str]:
    """The keys of an ORDER BY list, each in the opposite direction with its NULLs at the other end:
    what a btree index walked backwards gives (PostgreSQL: ASC puts NULLs last, DESC first)."""
    keys = []
    for key in order.split(", "):
        column, *words = key.split()
        descending = "DESC" in words
        nulls_last = "LAST" in words if "NULLS" in words else not descending
        keys.append(f"{column} {'ASC' if descending else 'DESC'} NULLS {'FIRST' if nulls_last else 'LAST'}")
    return keys


@dataclass(frozen=True)
class Gathered:
    """What one statement found: the number of results, every facet's counts and, when asked, a page."""

    count: int
    counts: dict[str, dict[str, int]]
    page_number: int = 1
    # The page's innovations in order, each with the query's lexemes it holds.
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass(frozen=True)
class PageRequest:
    number: int  # 0 or past the end: the last page
    size: int
    sort: str


def answers(terms: search.SearchTerms) -> bool:
    """Whether the index knows every lexeme of the query: bitmapped, or held by no document at all."""
    return all(lexeme in terms.indexed or lexeme in terms.unknown for lexeme in terms.lexemes)


def gather(data: dict, terms: search.SearchTerms, page: PageRequest, *, drafts: bool) -> Gathered:
    """Count the results, count every facet and pick one page, in one statement."""
    # The query's bitmapped lexemes, by term id (the postings' key); a lexeme no record holds adds none.
    term_ids = sorted({terms.indexed[lexeme] for lexeme in terms.lexemes if lexeme in terms.indexed})
    if terms and (not term_ids or (terms.require_all and terms.unknown & set(terms.lexemes))):
        # A word no record holds: nothing matches every word, and no word of it adds a match.
        return Gathered(count=0, counts={name: {} for name in FACET_NAMES})
    params: dict = {"visible": "all" if drafts else "published", "terms": term_ids}
    match = "v.bits"
    if term_ids:
        combine = "bit_and" if terms.require_all else "bit_or"
        match = f"v.bits & (SELECT {combine}(bits) FROM innovations_searchterm WHERE id = ANY(%(terms)s))"

    # One mask per facet with a selection: the documents holding any of its chosen values.
    masks: dict[str, str] = {}
    for name in KEYED_FACETS:
        if data.get(name):
            params[f"{name}_keys"] = [f"{name}:{value}" for value in data[name]]
            masks[name] = mask_of(f"key = ANY(%({name}_keys)s)")
    chosen_awards = {name: data.get(name) for name in AWARD_FACETS if data.get(name)}
    for name, values in chosen_awards.items():
        params[name] = [str(value) for value in values]
    if chosen_awards:
        masks["award"] = mask_of("facet = 'award' AND " + award_condition(chosen_awards))

    def narrowed(*leave_out: str) -> str:
        return " & ".join(["m.bits", *(f"s.{name}" for name in masks if name not in leave_out)])

    selections = ", ".join(f"{mask} AS {name}" for name, mask in masks.items()) or "NULL AS nothing"
    narrowings = ", ".join(
        [f"{narrowed(name)} AS {name}" for name in KEYED_FACETS]
        + [f"{narrowed('award')} AS award", f"{narrowed()} AS result"]
    )
    counted = [
        f"SELECT k.facet, k.value, bit_count(o.{name} & k.bits) FROM k, o WHERE k.facet = '{name}'"
        for name in KEYED_FACETS
    ]
    for name, part in AWARD_FACETS.items():
        others = {other: values for other, values in chosen_awards.items() if other != name}
        counted.append(
            f"SELECT '{name}', a.value, bit_count(o.award & a.bits) FROM o, "
            f"(SELECT split_part(key, ':', {part}) AS value, bit_or(bits) AS bits FROM k "
            f"WHERE facet = 'award' AND {award_condition(others)} GROUP BY 1) AS a"
        )
    sql = f"""
        WITH v AS (SELECT bits FROM innovations_searchfacet WHERE key = %(visible)s),
        -- "|| B''" copies the matches out of their stored, compressed form once: walking an index
        -- with get_bit() on the stored "published" bitmap unpacked it again for every row (0.66 s
        -- for a page in the middle of the whole list, 23 ms now).
        m AS MATERIALIZED (SELECT ({match}) || B'' AS bits FROM v),
        k AS MATERIALIZED (
            SELECT key, bits, split_part(key, ':', 1) AS facet, substr(key, strpos(key, ':') + 1) AS value
            FROM innovations_searchfacet WHERE key LIKE '%%:%%'
        ),
        s AS MATERIALIZED (SELECT {selections} FROM m),
        o AS MATERIALIZED (SELECT {narrowings} FROM m, s)
        SELECT 'total', NULL, bit_count(o.result), NULL::text[] FROM o
        UNION ALL {" UNION ALL ".join(f"SELECT *, NULL FROM ({part}) AS c" for part in counted)}"""
    sql += page_sql(terms, page, params, drafts=drafts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts: dict[str, dict[str, int]] = {name: {} for name in FACET_NAMES}
    total, number, page_rows = 0, 1, []
    for facet, value, count, matched in rows:
        if facet == "total":
            total = count or 0
        elif facet == "page":
            page_rows.append((count, int(value), list(matched) if matched is not None else terms.lexemes))
        elif facet == "number":
            number = count
        elif count:
            counts[facet][value] = count
    ordered = [(pk, matched) for _, pk, matched in sorted(page_rows)]
    return Gathered(count=total, counts=counts, page_number=number, rows=ordered)


def mask_of(condition: str) -> str:
    """The OR of the facet bitmaps meeting ``condition``; none at all is a mask of no document."""
    return f"coalesce((SELECT bit_or(bits) FROM k WHERE {condition}), m.bits # m.bits)"


def award_condition(chosen: dict) -> str:
    """Award keys whose year, tier and group are among those chosen (a facet not chosen: any)."""
    return " AND ".join(
        [f"split_part(key, ':', {AWARD_FACETS[name]}) = ANY(%({name})s)" for name in chosen] or ["TRUE"]
    )


def page_sql(terms: search.SearchTerms, page: PageRequest, params: dict, *, drafts: bool) -> str:
    """The page's rows ('page', id, position, matched lexemes) and its number ('number'), for gather()."""
    params |= {"number": page.number, "size": page.size}
    numbered = """
        numbered AS (
            SELECT CASE WHEN %(number)s::bigint BETWEEN 1 AND pages THEN %(number)s::bigint ELSE pages END
                   AS number
            FROM (SELECT greatest(1, ceil(bit_count(o.result) / %(size)s::numeric))::bigint AS pages
                  FROM o) AS t
        )"""
    skip = "(SELECT (number - 1) * %(size)s FROM numbered)"
    # The query's lexemes each record of the page holds, with the best weight it holds them with (the
    # field "why it matched" names), tested on the page's documents alone.
    matched = (
        "ARRAY(SELECT l || ':' || innovations_lexeme_field(d.search_vector, l) "
        "FROM innovations_searchdocument d, unnest(%(lexemes)s::text[]) WITH ORDINALITY AS q(l, n) "
        "WHERE d.innovation_id = p.id AND d.search_vector @@ innovations_lexeme_query(l) ORDER BY n)"
        if terms
        else "NULL::text[]"
    )
    params["lexemes"] = terms.lexemes
    if terms and page.sort == search.Sort.RELEVANCE:
        # Ranked by the postings: each lexeme's score times its rarity, summed, lifted by the share of
        # the query's rarity held (search.rank, the same sum over the documents), read from the index
        # alone; the documents are read only for the ties at the page's last score (tie-breaks:
        # replications, name, id).
        params["weights"] = [terms.weight(t) for t in terms.lexemes if t in terms.indexed]
        params["weighted_terms"] = [terms.indexed[t] for t in terms.lexemes if t in terms.indexed]
        params["total_weight"] = terms.total_weight
        ranked = """
            SELECT x.innovation_id AS id,
                   round((sum(x.score * w.weight) * (1 + sum(w.weight) / %(total_weight)s))::numeric, 9)
                   ::float8 AS rank
            FROM innovations_searchposting x
            JOIN unnest(%(weighted_terms)s::integer[], %(weights)s::float8[]) AS w(term_id, weight)
              ON w.term_id = x.term_id
            WHERE x.term_id = ANY(%(terms)s) AND get_bit((SELECT result FROM o), x.innovation_id) = 1
            GROUP BY x.innovation_id"""
        chosen = f"""
        ranked AS MATERIALIZED ({ranked}
        ),
        cut AS (
            SELECT rank FROM ranked ORDER BY rank DESC
            OFFSET (SELECT number * %(size)s - 1 FROM numbered) LIMIT 1
        ),
        p AS (
            SELECT r.id, row_number() OVER (ORDER BY r.rank DESC,
                                            d.replication_count DESC, d.name, r.id) AS position
            FROM ranked r JOIN innovations_searchdocument d ON d.innovation_id = r.id
            WHERE NOT EXISTS (SELECT FROM cut) OR r.rank >= (SELECT rank FROM cut)
            ORDER BY position OFFSET {skip} LIMIT %(size)s
        )"""
    else:
        order = DOCUMENT_ORDER.get(page.sort, DOCUMENT_ORDER[search.Sort.NEWEST])
        in_order = ", ".join(f"d.{key}" for key in order.split(", "))
        backwards = ", ".join(f"d.{key}" for key in reversed_order(order))
        columns = "d.innovation_id, d.launch_year, d.created_at, d.replication_count, d.name"
        # Few results: read them by id and sort them. Many: walk the sort's index (public pages: its
        # partial index of published documents) and stop at the page's end; from the far end for a
        # page in the back half, so no page walks more than half the results.
        published = "" if drafts else "d.is_published AND "
        walked = f"""{published}get_bit((SELECT result FROM o), d.innovation_id::integer) = 1"""
        many = f"(SELECT bit_count(result) > {FEW_RESULTS} FROM o)"
        total = "(SELECT bit_count(result) FROM o)"
        chosen = f"""
        p AS (
            SELECT innovation_id AS id, row_number() OVER (ORDER BY {order}) AS position
            FROM ((SELECT {columns} FROM innovations_searchdocument d
                   WHERE (SELECT bit_count(result) <= {FEW_RESULTS} FROM o)
                     AND d.innovation_id IN (SELECT innovations_bits_ids((SELECT result FROM o)))
                   ORDER BY {in_order} OFFSET {skip} LIMIT %(size)s)
                  UNION ALL
                  (SELECT {columns} FROM innovations_searchdocument d
                   WHERE {many} AND {skip} * 2 <= {total} AND {walked}
                   ORDER BY {in_order} OFFSET {skip} LIMIT %(size)s)
                  UNION ALL
                  (SELECT {columns} FROM innovations_searchdocument d
                   WHERE {many} AND {skip} * 2 > {total} AND {walked}
                   ORDER BY {backwards}
                   OFFSET greatest(0, {total} - {skip} - %(size)s) LIMIT least(%(size)s, {total} - {skip})))
                  AS chosen
        )"""
    return f"""
        UNION ALL (
            WITH {numbered}, {chosen}
            SELECT 'page', p.id::text, p.position, {matched} FROM p
            UNION ALL SELECT 'number', NULL, number, NULL FROM numbered
        )"""
