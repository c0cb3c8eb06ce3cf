"""The worker's upkeep of PostgreSQL's planner statistics where autovacuum is off."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from stockkeeper.core.db import Database
from stockkeeper.core.statistics import PlannerStatistics


@contextmanager
def _probe(database: Database) -> Iterator[str]:
    """A table that grew by 5,000 rows since it was made, its statistics never taken."""
    with database.engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE statistics_probe (n integer PRIMARY KEY)")
        connection.exec_driver_sql("INSERT INTO statistics_probe SELECT generate_series(1, 5000)")
        connection.commit()
        if (connection.dialect.server_version_info or (0,)) >= (15,):
            connection.exec_driver_sql("SELECT pg_stat_force_next_flush()")  # counted at once
            connection.commit()
    try:
        _wait_until_counted(database, "statistics_probe", 5000)
        yield "statistics_probe"
    finally:
        with database.engine.connect() as connection:
            connection.exec_driver_sql("DROP TABLE statistics_probe")
            connection.commit()


def _wait_until_counted(database: Database, table: str, changes: int) -> None:
    """Until the server's statistics count the table's changes (before PostgreSQL 15 they
    arrive a moment later)."""
    deadline = time.monotonic() + 10
    while True:
        with database.engine.connect() as connection:
            counted = connection.exec_driver_sql(
                "SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = %s",
                (table,),
            ).scalar()
        if (counted or 0) >= changes or time.monotonic() > deadline:
            return
        time.sleep(0.1)


def _analyzed(database: Database, table: str) -> bool:
    with database.engine.connect() as connection:
        analyzed: bool = connection.exec_driver_sql(
            "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s",
            (table,),
        ).scalar_one()
    return analyzed


def test_tables_that_changed_are_analyzed_where_autovacuum_is_off(database: Database) -> None:
    upkeep = PlannerStatistics(database, interval_seconds=3600)
    if database.dialect == "sqlite":
        assert upkeep.round() == 0  # SQLite's planner takes an index without statistics
        return
    with database.engine.connect() as connection:
        autovacuum = connection.exec_driver_sql("SHOW autovacuum").scalar_one()
    with _probe(database) as probe:
        analyzed = upkeep.run()
        if autovacuum == "on":  # the server keeps its statistics itself
            assert analyzed == []
            assert not _analyzed(database, probe)
            return
        assert probe in analyzed
        assert _analyzed(database, probe)
        assert probe not in upkeep.run()  # nothing changed since
        upkeep.round()
        assert upkeep.round() == 0  # the next round comes an interval later
