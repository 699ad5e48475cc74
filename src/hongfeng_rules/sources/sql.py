"""SQL databases (through SQLAlchemy): a table or a query per collection.

Any SQLAlchemy URL; `postgresql://` goes through psycopg 3. Without a mapping, the tables named like
collections (or like the template's sheets) are read; a mapping names a `table` or a `query` per
collection and the `key` column that names a row in errors (a table is read in its key's order). Give the URL without a password: libpq
takes it from PGPASSWORD or a .pgpass-style file (PGPASSFILE). Errors show the URL without its
password and never echo a password.
"""
from __future__ import annotations

import os

from ..errors import InputError, Problem, fail
from ..safe_load import Limits
from .mapping import Mapping
from .table import Table, table_document

DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}  # psycopg 3, not psycopg2


def _connect(url: str):
    """(sqlalchemy, engine, label, secrets, table and view names, their columns) of a database URL."""
    from . import need
    sa = need("sqlalchemy", _label_of_text(url))
    try:
        parsed = sa.engine.make_url(url)
    except Exception:  # ArgumentError and kin: say so without repeating the text (it may hold a password)
        raise fail(_label_of_text(url), "not a database URL (e.g. postgresql://user@host/db, sqlite:///file.db)") from None
    label = sa.engine.URL.create(parsed.drivername, username=parsed.username, host=parsed.host, port=parsed.port,
                                 database=parsed.database).render_as_string(hide_password=False)
    secrets = [s for s in (parsed.password, os.environ.get("PGPASSWORD")) if s]
    driver = DRIVERS.get(parsed.drivername, parsed.drivername)
    try:
        engine = sa.create_engine(parsed.set(drivername=driver), poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            names = list(inspector.get_table_names()) + list(inspector.get_view_names())
            columns = {n: [c["name"] for c in inspector.get_columns(n)] for n in names}
    except ImportError as exc:
        raise fail(label, f"no driver for {driver} ({exc.name or exc}); for PostgreSQL: pip install "
                          "\"hongfeng-rules[sql]\"") from None
    except Exception as exc:  # sqlalchemy.exc.*: refused, authentication failed, no such database
        raise fail(label, f"cannot connect: {_reason(exc, secrets)}") from None
    return sa, engine, label, secrets, names, columns


def table_columns(url: str) -> dict[str, list[str]]:
    """`mapping init`: each table's (and view's) columns."""
    return _connect(url)[5]


def database_sources(url: str, mapping: Mapping, limits: Limits) -> dict:
    from . import collection_of
    sa, engine, label, secrets, names, columns = _connect(url)
    plan: dict[str, tuple[str, str]] = {}  # collection → (part, SQL)
    problems = []
    quote = engine.dialect.identifier_preparer.quote

    def select(table: str, collection: str) -> str:
        """A table in its key's order: a table has no order of its own, and reports list evidence in order."""
        source = mapping.collections.get(collection)
        key = source.key if source else "id"
        order = f" ORDER BY {quote(key)}" if key in columns.get(table, ()) else ""
        return f"SELECT * FROM {quote(table)}{order}"
    for collection, source in mapping.collections.items():
        if source.query is not None:
            plan[collection] = (f"query {collection}", source.query)
        elif source.table is not None:
            if source.table not in names:
                problems.append(Problem(label, f"the mapping's table {source.table!r} for {collection} is not in the "
                                               f"database; tables: {', '.join(sorted(names))}", part=f"table {source.table}"))
            plan[collection] = (f"table {source.table}", select(source.table, collection))
    for name in sorted(names):
        collection = collection_of(name, mapping)
        if collection is not None and collection not in plan and name not in mapping.ignore:
            plan[collection] = (f"table {name}", select(name, collection))
    if problems:
        raise InputError(problems)
    if not plan:
        raise fail(label, "no table is named like a collection (members, 队员, …) and the mapping names none")

    def reader(collection: str, part: str, statement: str):
        def read():
            source = mapping.collections.get(collection)
            key = source.key if source else "id"
            try:
                with engine.connect() as conn:
                    result = conn.execution_options(stream_results=True).execute(sa.text(statement))
                    headers = list(result.keys())
                    table = Table(label, part, headers, _rows(result, headers, key), _column, header_row=None)
                    return table_document(collection, [table], mapping, limits.max_records), ()
            except InputError:
                raise
            except Exception as exc:
                raise fail(label, f"cannot read: {_reason(exc, secrets)}", part=part) from None
        return read

    return {c: reader(c, part, statement) for c, (part, statement) in plan.items()}


def _rows(result, headers: list[str], key: str):
    at = headers.index(key) if key in headers else None
    for n, row in enumerate(result, 1):
        cells = list(row)
        named = at is not None and cells[at] is not None and str(cells[at]).strip()
        yield (f"{key}={cells[at]}" if named else f"{n}" + (f" (no {key})" if at is not None else "")), cells


def _column(index: int, row: str) -> str:
    return "column"


def _reason(exc: Exception, secrets: list[str]) -> str:
    """The driver's own first line, without any password."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    text = text[0] if text else type(exc).__name__
    for secret in secrets:
        text = text.replace(secret, "***")
    return text[:300]


def _label_of_text(url: str) -> str:
    """A URL as text with any password cut out (for errors before it is parsed)."""
    scheme, _, rest = url.partition("://")
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        rest = credentials.split(":", 1)[0] + "@" + host
    return f"{scheme}://{rest}"
