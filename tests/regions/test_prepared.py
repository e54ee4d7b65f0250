"""Prepared statements: a values() queryset compiled once, run again with new arguments."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import pytest
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, BooleanField, CharField, F, Q
from django.db.models.functions import Upper
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from core.db.prepared import Argument, InArray, Statement, counting
from regions.models import Province, Regency

pytestmark = pytest.mark.django_db


CODES = ["13", "33", "91"]  # Sumatera Barat, Jawa Tengah, Papua among the reference provinces


@pytest.fixture
def provinces():
    return list(Province.objects.filter(code__in=CODES).order_by("code"))


@cache
def provinces_named(descending: bool) -> Statement:
    order = "-name" if descending else "name"
    return Statement(
        Province.objects.filter(InArray(F("code"), Argument("codes", ArrayField(CharField()))))
        .order_by(order)
        .values("code", label=F("name"))
    )


def test_a_statement_gives_the_rows_of_its_queryset_with_the_arguments_bound(provinces):
    rows = provinces_named(False).rows(codes=["13", "33", "00"])

    assert rows == [{"code": "33", "label": "Jawa Tengah"}, {"code": "13", "label": "Sumatera Barat"}]
    assert provinces_named(True).rows(codes=["13", "33"])[0]["code"] == "13"
    assert provinces_named(False).rows(codes=[]) == []


def test_a_statement_is_compiled_once_and_runs_as_one_query(provinces, django_assert_num_queries):
    statement = Statement(
        Province.objects.filter(code=Argument("code", CharField())).values("name"),
    )
    statement.rows(code="91")
    compiled = statement.sql

    with django_assert_num_queries(1):
        assert statement.rows(code="13") == [{"name": "Sumatera Barat"}]
    assert statement.sql is compiled


def test_limit_and_offset_are_arguments_of_each_run(provinces):
    statement = Statement(Province.objects.filter(code__in=CODES).order_by("code").values("code"))

    assert [row["code"] for row in statement.rows(limit=2)] == ["13", "33"]
    assert [row["code"] for row in statement.rows(limit=2, offset=2)] == ["91"]


def test_arguments_mix_with_the_querysets_own_literals_in_order(provinces):
    statement = Statement(
        Province.objects.filter(
            Q(name__startswith="Jawa") | Argument("everything", BooleanField()),
            code__gt=Argument("after", CharField()),
            code__in=CODES,
        )
        .order_by("code")
        .values("code")
    )

    assert statement.rows(everything=False, after="00") == [{"code": "33"}]
    assert statement.rows(everything=True, after="20") == [{"code": "33"}, {"code": "91"}]


def test_a_counting_statement_gives_one_row_even_when_nothing_matches(provinces):
    statement = Statement(
        counting(Province.objects.filter(InArray(F("id"), Argument("ids", ArrayField(BigIntegerField())))))
    )

    assert statement.rows(ids=[p.pk for p in provinces[:2]]) == [{"count": 2}]
    assert statement.rows(ids=[]) == [{"count": 0}]


def test_a_missing_argument_is_an_error_not_a_null(provinces):
    statement = Statement(Province.objects.filter(code=Argument("code", CharField())).values("name"))

    with pytest.raises(TypeError, match="code"):
        statement.rows()
    with pytest.raises(TypeError, match="spare"):
        statement.rows(code="13", spare=1)


def test_only_unsliced_values_querysets_can_be_prepared():
    with pytest.raises(TypeError, match="values"):
        Statement(Province.objects.all())
    with pytest.raises(TypeError, match="limit"):
        Statement(Province.objects.values("code")[:5])


def test_the_run_is_seen_by_query_capture_as_any_query(provinces):
    statement = Statement(Province.objects.filter(code=Argument("code", CharField())).values("name"))

    with CaptureQueriesContext(connection) as captured:
        statement.rows(code="33")

    assert len(captured) == 1
    assert "33" in captured[0]["sql"]


def test_columns_keep_their_names_whatever_order_values_lists_them(provinces):
    statement = Statement(
        Province.objects.filter(code=Argument("code", CharField()))
        .annotate(shout=Upper("name"))
        .values("shout", "code")
    )

    assert statement.rows(code="13") == [{"shout": "SUMATERA BARAT", "code": "13"}]


def test_a_tuple_argument_is_an_array_as_a_list_is(provinces):
    assert provinces_named(False).rows(codes=("13", "91")) == [
        {"code": "91", "label": "Papua"},
        {"code": "13", "label": "Sumatera Barat"},
    ]


def test_threads_running_a_new_statement_at_once_all_get_its_rows(provinces, monkeypatch):
    """The first runs compile the statement. Compiling one query in two threads at once loses joins:
    each compilation counts the joins it uses up, then resets the counts it found, so the slower
    thread builds FROM without the joins its ORDER BY needs ("missing FROM-clause entry")."""
    province = provinces[0]
    # Only the ordering joins the provinces: the filter reads the regency's own column.
    regencies = Regency.objects.order_by("province__name", "code")
    expected = list(regencies.filter(province=province).values("code"))
    statement = Statement(
        regencies.filter(province_id=Argument("province", BigIntegerField())).values("code")
    )
    setup = SQLCompiler.pre_sql_setup

    def slow_setup(compiler, *args, **kwargs):
        # Hold each compilation between counting its joins and building FROM, so that the threads
        # overlap there every time rather than by chance.
        result = setup(compiler, *args, **kwargs)
        time.sleep(0.05)
        return result

    monkeypatch.setattr(SQLCompiler, "pre_sql_setup", slow_setup)

    def run(start: threading.Barrier):
        try:
            start.wait()
            return statement.rows(province=province.pk)
        finally:
            connection.close()

    start = threading.Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(run, [start, start]))

    assert results == [expected, expected]
