from __future__ import annotations

from alembic import context

from stockkeeper.core.db import create_db_engine
from stockkeeper.core.migrate import include_object
from stockkeeper.core.settings import Settings, load_settings
from stockkeeper.db_models import metadata

config = context.config


def run_migrations_online() -> None:
    settings: Settings = config.attributes.get("settings") or load_settings()
    engine = create_db_engine(settings)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                include_object=include_object,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


run_migrations_online()
