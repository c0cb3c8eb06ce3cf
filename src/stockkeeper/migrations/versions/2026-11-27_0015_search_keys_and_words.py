"""search keys and words

The SQLite search index is rebuilt around a narrow key table: the full-text tables keep no
copy of the text (contentless) and their rowid is the key's integer id, so resolving matches
to items reads small rows. A second full-text table indexes whole words with their one- and
two-character prefixes, for searches too short for trigrams; PostgreSQL gets the same from a
GIN index over the words of ``search_text``.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27 10:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEY = "(SELECT id FROM item_search_key WHERE company_id = {row}.company_id AND item_id = {row}.id)"
_INDEXES = ("item_search", "item_search_words")


def _add(row: str) -> str:
    return "".join(
        f"INSERT INTO {index} (rowid, search_text) "
        f"VALUES ({_KEY.format(row=row)}, {row}.search_text); "
        for index in _INDEXES
    )


def _remove(row: str) -> str:
    # a contentless index forgets a row when told the text it indexed
    return "".join(
        f"INSERT INTO {index} ({index}, rowid, search_text) "
        f"VALUES ('delete', {_KEY.format(row=row)}, {row}.search_text); "
        for index in _INDEXES
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        # words split at every character that is not a letter or digit, as SQLite's
        # tokenizer does (PostgreSQL's own parser keeps "ab-12", "1.5" or "3/4" whole)
        op.execute(
            "CREATE INDEX ix_item_search_words ON item USING gin (to_tsvector('simple', "
            "regexp_replace(search_text, '[^[:alnum:]]+', ' ', 'g')))"
        )
        return
    for trigger in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER item_search_{trigger}")
    op.execute("DROP TABLE item_search")
    op.execute(
        "CREATE TABLE item_search_key (id INTEGER PRIMARY KEY, company_id VARCHAR(40) NOT NULL, "
        "item_id VARCHAR(40) NOT NULL, UNIQUE (company_id, item_id))"
    )
    op.execute(
        "CREATE VIRTUAL TABLE item_search USING fts5(search_text, content='', tokenize='trigram')"
    )
    op.execute(
        "CREATE VIRTUAL TABLE item_search_words USING fts5(search_text, content='', prefix='1 2')"
    )
    op.execute("INSERT INTO item_search_key (company_id, item_id) SELECT company_id, id FROM item")
    for index in _INDEXES:
        op.execute(
            f"INSERT INTO {index} (rowid, search_text) SELECT k.id, i.search_text "
            "FROM item_search_key k JOIN item i ON i.company_id = k.company_id AND i.id = k.item_id"
        )
    op.execute(
        "CREATE TRIGGER item_search_insert AFTER INSERT ON item BEGIN "
        "INSERT INTO item_search_key (company_id, item_id) VALUES (new.company_id, new.id); "
        f"{_add('new')}END"
    )
    op.execute(
        "CREATE TRIGGER item_search_update AFTER UPDATE OF search_text ON item "
        f"WHEN old.search_text IS NOT new.search_text BEGIN {_remove('old')}{_add('new')}END"
    )
    op.execute(
        "CREATE TRIGGER item_search_delete AFTER DELETE ON item BEGIN "
        f"{_remove('old')}"
        "DELETE FROM item_search_key WHERE company_id = old.company_id AND item_id = old.id; END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP INDEX ix_item_search_words")
        return
    for trigger in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER item_search_{trigger}")
    for table in ("item_search", "item_search_words", "item_search_key"):
        op.execute(f"DROP TABLE {table}")
    op.execute(
        "CREATE VIRTUAL TABLE item_search USING fts5("
        "company_id UNINDEXED, item_id UNINDEXED, search_text, tokenize = 'trigram')"
    )
    op.execute(
        "INSERT INTO item_search (company_id, item_id, search_text) "
        "SELECT company_id, id, search_text FROM item"
    )
    op.execute(
        "CREATE TRIGGER item_search_insert AFTER INSERT ON item BEGIN "
        "INSERT INTO item_search (company_id, item_id, search_text) "
        "VALUES (new.company_id, new.id, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER item_search_update AFTER UPDATE OF search_text ON item BEGIN "
        "DELETE FROM item_search WHERE item_id = old.id AND company_id = old.company_id; "
        "INSERT INTO item_search (company_id, item_id, search_text) "
        "VALUES (new.company_id, new.id, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER item_search_delete AFTER DELETE ON item BEGIN "
        "DELETE FROM item_search WHERE item_id = old.id AND company_id = old.company_id; END"
    )
