"""Running the Alembic migrations from code (the CLI, the tests, the demo)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

from stockkeeper.core.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

# Objects that exist only in the migrations: the full-text search structures of each engine.
SEARCH_OBJECT_PREFIXES = ("item_search", "ix_item_search")


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """For schema comparison: everything but the search structures made by hand per engine."""
    return not (name or "").startswith(SEARCH_OBJECT_PREFIXES)


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s")
    config.attributes["settings"] = settings
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    command.upgrade(alembic_config(settings), revision)


def current_revision(settings: Settings) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from stockkeeper.core.db import create_db_engine

    engine = create_db_engine(settings)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
