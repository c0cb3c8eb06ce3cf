"""The migrations build exactly the schema the models describe, on both engines."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from stockkeeper.core.db import Database
from stockkeeper.core.migrate import current_revision, include_object, upgrade
from stockkeeper.core.settings import Settings
from stockkeeper.db_models import metadata


def test_migrated_schema_equals_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object, "compare_type": True}
        )
        differences = compare_metadata(context, metadata)
    assert differences == []


# the installation's, no company's: the companies, the workers, and the people (one account
# whatever their companies, with their sessions, links and sign-in attempts: decision 30)
SHARED = {
    "company",
    "worker_heartbeat",
    "user_account",
    "web_session",
    "one_time_link",
    "sign_in_attempt",
}


def test_every_table_is_keyed_by_company(database: Database) -> None:
    inspector = inspect(database.engine)
    for table in metadata.sorted_tables:
        if table.name in SHARED:
            continue
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert "company_id" in columns, table.name
        for fk in inspector.get_foreign_keys(table.name):
            assert "company_id" in fk["constrained_columns"] or fk["referred_table"] in SHARED, (
                table.name,
                fk,
            )


def test_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    from alembic import command

    from stockkeeper.core.migrate import alembic_config

    settings = Settings(environment="test", database_url=f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(settings)
    head = current_revision(settings)
    command.downgrade(alembic_config(settings), "base")
    assert current_revision(settings) is None
    upgrade(settings)
    assert current_revision(settings) == head
