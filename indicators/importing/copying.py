"""Writing many new rows fast: PostgreSQL's COPY (optionally in the background), or
executemany elsewhere."""

import datetime
import io
import json
import threading
from decimal import Decimal
from functools import lru_cache
from json.encoder import c_make_encoder, encode_basestring_ascii

from django.db import connections, router


class BackgroundCopy:
    """One COPY at a time in a second thread, so that Python reads and checks the next
    chunk while PostgreSQL writes this one (psycopg2 lets go of the GIL while it waits).

    Nothing else may use the connection meanwhile: the import waits (``wait()``) before
    every apply, before the next table and before the transaction ends. Foreign keys are
    checked as each COPY ends (not all at the commit), so that work overlaps too.
    """

    def __init__(self):
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._connection = None

    def start(self, connection, statement: str, buffer: io.StringIO) -> None:
        self.wait()
        self._connection = connection
        raw = connection.connection  # the psycopg2 connection, used from one thread at a time
        self._thread = threading.Thread(target=self._copy, args=(raw, statement, buffer))
        self._thread.start()

    def _copy(self, raw, statement: str, buffer: io.StringIO) -> None:
        try:
            with raw.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                # One read of the whole buffer: each read takes the GIL, which the import's
                # thread holds while it checks the next chunk (8 KB reads starved the COPY).
                cursor.copy_expert(statement, buffer, size=_size(buffer))
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        except BaseException as error:  # handed to the import's thread by wait()
            self._error = error

    def wait(self) -> None:
        """Return once the COPY running (if any) is done; raise its error if it failed."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            with self._connection.wrap_database_errors:  # as Django's own errors
                raise error


def _size(buffer: io.StringIO) -> int:
    return max(8192, len(buffer.getvalue()))


def _escaped(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


@lru_cache(maxsize=64)
def _moment(value: datetime.datetime) -> str:
    return value.isoformat()  # with the offset; an import stamps every row alike


def _json_text(value) -> str:
    return _escaped(_json(value))


# One value in PostgreSQL's COPY text format, by its type (a lookup, not a chain of tests).
_COPY_TEXT = {
    type(None): lambda value: "\\N",
    int: str,
    bool: str,
    str: _escaped,
    Decimal: lambda value: format(value, "f"),
    datetime.date: datetime.date.isoformat,
    datetime.datetime: _moment,
    dict: _json_text,
    list: _json_text,
}


if c_make_encoder is not None:
    # json.dumps with its defaults, without making an encoder for every call (an import
    # writes two JSON snapshots for every figure): the same text, a third of the time.
    _encoder = c_make_encoder(
        None,
        json.JSONEncoder().default,
        encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )

    def _json(value) -> str:
        return "".join(_encoder(value, 0))

else:  # pragma: no cover - CPython always has the C encoder
    _json = json.dumps


def _copy_text(value) -> str:
    format_value = _COPY_TEXT.get(type(value))
    return format_value(value) if format_value else _escaped(str(value))


# Formatters that need no escaping, for a column whose values are all of one type.
_WHOLE_COLUMN = {
    int: str,
    bool: str,
    Decimal: "{:f}".format,
    datetime.date: datetime.date.isoformat,
    datetime.datetime: _moment,
    dict: _json_text,
    list: _json_text,
}
_NONE = type(None)


def _shared_json():
    """_json_text that encodes each object once: an import hands the same snapshot object
    to every figure of the same value (objects, not equal values: the column holds them
    all while it is formatted, so no id is reused meanwhile)."""
    done: dict[int, str] = {}

    def text(value) -> str:
        found = done.get(id(value))
        if found is None:
            found = done[id(value)] = _json_text(value)
        return found

    return text


def _column_text(values: tuple) -> list[str]:
    """One column's values in COPY text format: a whole column at a time, mostly in C
    (formatting value by value was most of a large import's Python time)."""
    kinds = set(map(type, values))
    nulls = _NONE in kinds
    kinds.discard(_NONE)
    if not kinds:
        return ["\\N"] * len(values)
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind is str:
            joined = "".join(values) if not nulls else ""
            if not nulls and not any(c in joined for c in "\\\t\n\r"):
                return list(values)
            format_value = _escaped
        elif kind is dict or kind is list:
            format_value = _shared_json()
        else:
            format_value = _WHOLE_COLUMN.get(kind)
        if format_value is not None:
            if not nulls:
                return list(map(format_value, values))
            return ["\\N" if v is None else format_value(v) for v in values]
    return list(map(_copy_text, values))


def insert_rows(
    model, fields: list[str], rows: list[tuple], *, background: "BackgroundCopy | None" = None
) -> None:
    """Write many new rows at once: bulk_create's per-value work dominated large imports.

    PostgreSQL gets one COPY (run by ``background`` while the caller goes on, if given);
    other databases get executemany with values prepared by each field's own
    get_db_prep_save, so they are stored exactly as the ORM would.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c.column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            texts = [_column_text(column) for column in zip(*rows, strict=True)]
            buffer = io.StringIO()
            buffer.write("\n".join(map("\t".join, zip(*texts, strict=True))))
            buffer.write("\n")
            buffer.seek(0)
            statement = f"COPY {table} ({names}) FROM STDIN"
            if background is not None:
                background.start(connection, statement, buffer)
            else:
                cursor.cursor.copy_expert(statement, buffer, size=_size(buffer))
            return
        prepared = [
            [
                column.get_db_prep_save(value, connection)
                for column, value in zip(columns, row, strict=True)
            ]
            for row in rows
        ]
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", prepared)
