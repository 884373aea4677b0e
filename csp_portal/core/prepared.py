"""Queries made on (nearly) every request, with the SQL built once per database connection.

Every request reads the signed-in user by primary key, the user's roles, and most read
a partnership by slug; the first view of a figure page after a save reads the saved
indicator and its figures. Building such a query through the ORM costs about three times
running it (0.4 ms against 0.1 ms on SQLite), so these lookups keep the statement, the
columns and the value converters the ORM made the first time, and run that with the new
values. The rows are read afresh on every call: nothing is kept but the SQL.
"""

import datetime
import weakref
from collections.abc import Callable
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators


def _sample(field: Field, index: int, connection):
    """A stand-in for the index-th value while the ORM builds the SQL, found again among
    its parameters: distinct for each value, unlike any value a query holds itself, and
    within the column's range (the ORM answers "no rows" for a number beyond it)."""
    kind = getattr(field, "target_field", field).get_internal_type()  # a key's is its target's
    if kind.endswith(("AutoField", "IntegerField")):
        return connection.ops.integer_field_range(kind)[1] - 1000 - index
    if kind == "DateField":
        return datetime.date(1001 + index, 1, 1)
    return f"\x00prepared{index}\x00"


class _Statement(NamedTuple):
    sql: str
    params: list
    places: list[tuple[int, int]]  # (position among the parameters, which value)
    converters: list[tuple[int, tuple, object]]
    attnames: list[str | None]  # what Model.from_db needs when a model's columns are read
    klass_info: dict | None  # and for the related models that select_related reads
    select: list
    annotations: dict[str, int]  # annotated values, by name, and their place in a row


class PreparedRows:
    """`PreparedRows(lambda a, b: M.objects.filter(f=a, g__gte=b).values_list(...),
    M._meta.get_field("f"), M._meta.get_field("g"))` and `.rows(a, b)`: the tuples that
    queryset gives for those values (`.instances(a, b)` for a queryset of models). Each
    value must go into the SQL as itself (equality or comparison, not a list for ``__in``):
    a build that does not use a value fails at once. An integer beyond its column's range
    gives no rows, as an equality lookup does."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *fields: Field,
        using: str = DEFAULT_DB_ALIAS,
    ):
        self.build = build
        self.fields = fields
        self.using = using
        # Per connection object: connections are per thread, and so are their converters.
        self._statements: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _prepared(self, field: Field, value, connection):
        return field.get_db_prep_value(field.get_prep_value(value), connection)

    def _statement(self, connection) -> _Statement:
        statement = self._statements.get(connection)
        if statement is None:
            samples = [_sample(field, index, connection) for index, field in enumerate(self.fields)]
            queryset = self.build(*samples).using(self.using)
            compiler = queryset.query.get_compiler(using=self.using)
            sql, params = compiler.as_sql()
            places = []
            for which, (field, sample) in enumerate(zip(self.fields, samples, strict=True)):
                prepared = self._prepared(field, sample, connection)
                found = [(at, which) for at, param in enumerate(params) if param == prepared]
                if not found:
                    raise ValueError(f"the query does not use value {which} as itself")
                places += found
            expressions = [column for column, _, _ in compiler.select]
            attnames = [
                getattr(getattr(column, "target", None), "attname", None) for column in expressions
            ]
            converters = [
                (position, tuple(functions), expression)
                for position, (functions, expression) in compiler.get_converters(
                    expressions
                ).items()
            ]
            statement = _Statement(
                sql,
                list(params),
                places,
                converters,
                attnames,
                compiler.klass_info,
                compiler.select,
                dict(compiler.annotation_col_map or {}),
            )
            self._statements[connection] = statement
        return statement

    def _beyond_range(self, values, connection) -> bool:
        """Whether an integer value lies beyond its column's range: no row can equal it
        (the ORM answers such a lookup without asking the database, which may refuse it)."""
        for field, value in zip(self.fields, values, strict=True):
            kind = getattr(field, "target_field", field).get_internal_type()
            if kind.endswith(("AutoField", "IntegerField")):
                low, high = connection.ops.integer_field_range(kind)
                number = field.get_prep_value(value)
                if (low is not None and number < low) or (high is not None and number > high):
                    return True
        return False

    def _params(self, values, statement: _Statement, connection) -> list:
        params = statement.params.copy()
        for at, which in statement.places:
            params[at] = self._prepared(self.fields[which], values[which], connection)
        return params

    def _rows(self, values, *, one: bool) -> tuple[list[list], _Statement]:
        connection = connections[self.using]
        statement = self._statement(connection)
        if self._beyond_range(values, connection):
            return [], statement
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, self._params(values, statement, connection))
            rows = [cursor.fetchone()] if one else cursor.fetchall()
        rows = [_converted(list(row), statement, connection) for row in rows if row is not None]
        return rows, statement

    def rows(self, *values) -> list[tuple]:
        rows, _ = self._rows(values, one=False)
        return [tuple(row) for row in rows]

    def instances(self, *values, one: bool = False) -> list[Model]:
        """The model instances the queryset gives, with the related ones it selects and the
        values it annotates."""
        rows, statement = self._rows(values, one=one)
        return [self._instance(row, statement) for row in rows]

    def _instance(self, row: list, statement: _Statement) -> Model:
        info = statement.klass_info
        first, last = info["select_fields"][0], info["select_fields"][-1] + 1
        model, names = info["model"], statement.attnames[first:last]
        instance = model.from_db(self.using, names, row[first:last])
        for populator in get_related_populators(info, statement.select, self.using):
            populator.populate(row, instance)
        for name, position in statement.annotations.items():
            setattr(instance, name, row[position])
        return instance


def _converted(row: list, statement: _Statement, connection) -> list:
    for position, functions, expression in statement.converters:
        for convert in functions:
            row[position] = convert(row[position], expression, connection)
    return row


class PreparedPair:
    """Two prepared queries of one row each, asked in one statement: `.instances(a, b)`
    gives the first's instance (or None: then the second is not read) and beside it the
    second's (or None where it finds nothing). For a request that reads two unrelated
    rows before anything else: one round trip, not two."""

    def __init__(self, first: PreparedRows, second: PreparedRows):
        if first.using != second.using:
            raise ValueError("both queries must use one database")
        self.first, self.second = first, second
        self._statements: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _sql(self, connection) -> str:
        sql = self._statements.get(connection)
        if sql is None:
            first = self.first._statement(connection).sql
            second = self.second._statement(connection).sql
            sql = f"SELECT * FROM ({first}) AS first LEFT JOIN ({second}) AS second ON 1 = 1"
            self._statements[connection] = sql
        return sql

    def instances(self, first_values, second_values) -> tuple[Model, Model | None] | None:
        connection = connections[self.first.using]
        sql = self._sql(connection)
        first = self.first._statement(connection)
        second = self.second._statement(connection)
        if self.first._beyond_range(first_values, connection):
            return None
        if self.second._beyond_range(second_values, connection):
            found = self.first.instances(*first_values, one=True)
            return (found[0], None) if found else None
        params = self.first._params(first_values, first, connection) + self.second._params(
            second_values, second, connection
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        width = len(first.select)
        own, beside = list(row[:width]), list(row[width:])
        instance = self.first._instance(_converted(own, first, connection), first)
        pk = second.attnames.index(second.klass_info["model"]._meta.pk.attname)
        if beside[pk] is None:
            return instance, None
        return instance, self.second._instance(_converted(beside, second, connection), second)


class PreparedGet(PreparedRows):
    """`PreparedGet(User, "pk").get(value)`: the instance whose column equals value, or
    None, as `Model._default_manager.get(**{column: value})` reads it."""

    def __init__(self, model: type[Model], lookup: str, using: str = DEFAULT_DB_ALIAS):
        field = model._meta.pk if lookup == "pk" else model._meta.get_field(lookup)
        super().__init__(
            lambda value: model._default_manager.filter(**{lookup: value}), field, using=using
        )

    def get(self, value) -> Model | None:
        found = self.instances(value, one=True)
        return found[0] if found else None
