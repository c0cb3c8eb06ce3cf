"""Query plans of the statements a request really ran: captured from the engine, then EXPLAINed.

Capturing beats rebuilding the query in the benchmark: the plan is of exactly the SQL and
parameters the application sent, whatever the code that built it looks like today.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event

from stockkeeper.core.db import Database

# Markers of the item search in SQL: the FTS5 tables (SQLite), or the LIKE or the word match
# on search_text (PostgreSQL).
_SEARCH = re.compile(r"item_search|search_text LIKE|@@ to_tsquery", re.IGNORECASE)
_SEARCH_INDEX = {
    "sqlite": re.compile(r"SCAN item_search(?:_words)? VIRTUAL TABLE INDEX"),
    "postgresql": re.compile(r"Index Scan on ix_item_search_(?:trgm|words)"),
}
# The page query selects the item rows; the others only count.
_PAGE = re.compile(r"^(?:WITH .*)?SELECT item\.company_id", re.IGNORECASE | re.DOTALL)
# How the item table is read, most expensive first: (pattern, description).
_ITEM_ACCESS = {
    "sqlite": [
        (re.compile(r"^SCAN item\b"), "full table scan"),
        (
            re.compile(r"^SEARCH item USING (?:COVERING )?INDEX (\w+) \(company_id=\?\)$"),
            "walked in {} order, company-wide",
        ),
        (re.compile(r"^SEARCH item USING .*\bid=\?"), "looked up by id"),
    ],
    "postgresql": [
        (re.compile(r"Seq Scan on item\b"), "full table scan"),
        (
            re.compile(r"Index (?:Only )?Scan using (\w+) on item\b"),
            "walked in {} order, company-wide",
        ),
        (re.compile(r"Bitmap Heap Scan on item\b"), "fetched from the index's matches"),
    ],
}


@dataclass(frozen=True)
class Plan:
    """The plan of one statement, and what it says about the search."""

    purpose: str  # "page" or "count"
    lines: tuple[str, ...]
    search_index: bool  # the FTS5 table or the trigram index is read
    item_access: str  # how the item rows are reached

    @property
    def verdict(self) -> str:
        index = "search index used" if self.search_index else "search index NOT used"
        return f"{index}, items {self.item_access}"


@contextmanager
def captured(database: Database) -> Iterator[list[tuple[str, Any]]]:
    """The (SQL, parameters) of every statement run while the block is open."""
    statements: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        # before_cursor_execute(conn, cursor, statement, parameters, context, executemany)
        statements.append((args[2], args[3]))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def search_plans(database: Database, request: Callable[[], object]) -> list[Plan]:
    """Runs one search request and explains its page and count statements."""
    with captured(database) as statements:
        request()
    searching = [(sql, params) for sql, params in statements if _SEARCH.search(sql)]
    return [
        explain(database, sql, params, "page" if _PAGE.search(sql) else "count")
        for sql, params in searching
    ]


def explain(database: Database, sql: str, parameters: Any, purpose: str) -> Plan:
    dialect = database.dialect
    prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql(prefix + sql, parameters).all()
    lines = _sqlite_tree(rows) if dialect == "sqlite" else [str(row[0]) for row in rows]
    return Plan(
        purpose=purpose,
        lines=tuple(lines),
        search_index=any(_SEARCH_INDEX[dialect].search(line) for line in lines),
        item_access=_item_access(dialect, lines),
    )


def _item_access(dialect: str, lines: Sequence[str]) -> str:
    for pattern, description in _ITEM_ACCESS[dialect]:
        for line in lines:
            found = pattern.search(line.strip())
            if found:
                return description.format(*found.groups())
    if not any(re.search(r"\bitem\b", line) for line in lines):
        return "not read"
    return "reached another way"


def _sqlite_tree(rows: Sequence[Any]) -> list[str]:
    """EXPLAIN QUERY PLAN rows (id, parent, -, detail) indented the way the sqlite3 shell does."""
    depth: dict[int, int] = {0: 0}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, 0) + 1
        lines.append("  " * (depth[node] - 1) + str(detail))
    return lines
