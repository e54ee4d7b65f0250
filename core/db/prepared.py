"""Querysets compiled once per process and run again with new arguments.

The public pages read the same few list queries on every request; only ids, keys and the page's
offset change. Building and compiling a values() queryset with joins and subqueries costs Django
1–2 ms, more than PostgreSQL takes to run it. A
``Statement`` keeps the SQL Django compiled from the queryset the first time it ran, with an
``Argument`` placeholder wherever a value changes per call, and binds the values on each run.

The queryset is still written with the ORM; only its compilation is reused. So the queryset must not
depend on the request (language, user, time): such things are arguments, or pick one of several
statements (``functools.cache`` over a function returning a ``Statement`` is the idiom).

No maintained library does this for Django 5 (django-prepared-queries stopped at Django 2).
"""

from __future__ import annotations

import threading
from typing import Any, NamedTuple

from django.db import connections
from django.db.models import BooleanField, Count, Expression, Field, Func, QuerySet, Value
from django.db.models.query import ValuesIterable


class Slot(NamedTuple):
    """Where an argument's value goes among a compiled statement's parameters."""

    name: str


class Argument(Expression):
    """A value given when a Statement runs, written in its queryset where a literal would be.

    A list (or tuple) goes to PostgreSQL as one array: compare with InArray, not ``__in``.
    """

    def __init__(self, name: str, output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [Slot(self.name)]


class InArray(Func):
    """``expression = ANY(array)``: whether an array (an Argument, typically) holds the value.

    Django's ``__in`` lookup writes one placeholder per value, so its SQL changes with the list's
    length; this keeps one placeholder for the whole list.
    """

    output_field = BooleanField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        value, array = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"{value[0]} = ANY({array[0]})", [*value[1], *array[1]]


def counting(queryset: QuerySet) -> QuerySet:
    """The queryset's number of rows as a one-row values() queryset, ``{"count": n}``, to prepare.

    Grouped by a constant, which Django leaves out of GROUP BY: no GROUP BY, so an empty queryset
    still gives its row with a count of 0.
    """
    return queryset.order_by().values(whole=Value(1)).annotate(count=Count("pk")).values("count")


class Compiled(NamedTuple):
    sql: str
    params: list
    names: list[str]
    slots: frozenset[str]
    compiler: Any
    converters: dict


class Statement:
    """A values() queryset, compiled on its first run, then run with ``rows(**arguments)``.

    ``limit`` and ``offset`` are arguments of every run, so no Argument may take those names. A
    queryset Django already knows to be empty (``filter(pk__in=[])``, ``none()``) has no SQL to
    keep: compiling it raises EmptyResultSet. Argument values go to the database as given, without
    the field's preparation: pass plain values (ints, strings, lists), not model instances.
    """

    def __init__(self, queryset: QuerySet) -> None:
        if not issubclass(queryset._iterable_class, ValuesIterable):
            raise TypeError("A statement is read as rows: prepare a values() queryset.")
        if queryset.query.is_sliced:
            raise TypeError("A statement's limit and offset are given to rows(), not sliced in.")
        self.queryset = queryset
        self.compiled: Compiled | None = None
        self.compiling = threading.Lock()

    @property
    def sql(self) -> str | None:
        return self.compiled.sql if self.compiled else None

    def compile(self) -> Compiled:
        # Compiling changes a query's join bookkeeping while it runs: compile a copy, so that threads
        # compiling at once (first requests of a threaded server) never share one.
        query = self.queryset.query.clone()
        compiler = query.get_compiler(using=self.queryset.db)
        sql, params = compiler.as_sql()
        # The columns' names in SELECT order, as ValuesIterable reads them.
        names = (
            list(query.selected)
            if query.selected
            else [
                *query.extra_select,
                *query.values_select,
                *query.annotation_select,
            ]
        )
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        slots = frozenset(param.name for param in params if isinstance(param, Slot))
        return Compiled(sql, list(params), names, slots, compiler, converters)

    def rows(self, *, limit: int | None = None, offset: int = 0, **arguments) -> list[dict]:
        if self.compiled is None:
            with self.compiling:
                if self.compiled is None:
                    self.compiled = self.compile()
        compiled = self.compiled
        if missing := compiled.slots - arguments.keys():
            raise TypeError(f"Statement run without the arguments {sorted(missing)}")
        if spare := arguments.keys() - compiled.slots:
            raise TypeError(f"Statement run with unknown arguments {sorted(spare)}")
        # A tuple would go to PostgreSQL as a record, never as the array a list becomes.
        values = {name: list(v) if isinstance(v, tuple) else v for name, v in arguments.items()}
        sql = compiled.sql
        params = [values[param.name] if isinstance(param, Slot) else param for param in compiled.params]
        if limit is not None:
            sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset]
        elif offset:
            sql, params = f"{sql} OFFSET %s", [*params, offset]
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        return [dict(zip(compiled.names, row, strict=True)) for row in rows]
