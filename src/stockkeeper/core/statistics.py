"""PostgreSQL's planner statistics, kept up by the worker where autovacuum does not.

A server with autovacuum off never analyzes a table by itself, and a table that grew from
empty keeps the plans made when it was empty. The foreign-key checks PostgreSQL runs for
each inserted row are planned once a connection and kept: the check of a line against its
document became a scan of every document, and a 500-line adjustment took about 80 ms more
after 2,000 adjustments (back to normal after ANALYZE, which also retires the plans made
before it). So the worker analyzes the tables that changed as much as autovacuum would
wait for, by the server's own thresholds, every ten seconds: the plans that go wrong are the
ones made while a table is new, and asking which tables changed costs about a millisecond.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy.exc import DBAPIError

from stockkeeper.core.db import Database

log = logging.getLogger(__name__)

_STALE = """
SELECT schemaname, relname FROM pg_stat_user_tables
WHERE schemaname = current_schema()
  AND n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::integer
      + current_setting('autovacuum_analyze_scale_factor')::float8 * n_live_tup
ORDER BY relname
"""


class PlannerStatistics:
    """Analyzes the tables whose statistics are stale, every ``interval_seconds``, on a
    PostgreSQL server with autovacuum off (elsewhere it has nothing to do)."""

    def __init__(self, database: Database, interval_seconds: float = 10.0) -> None:
        self.database = database
        self.interval_seconds = interval_seconds
        self._next = 0.0

    def round(self) -> int:
        if self.database.dialect != "postgresql" or time.monotonic() < self._next:
            return 0
        self._next = time.monotonic() + self.interval_seconds
        return len(self.run())

    def run(self) -> list[str]:
        """The tables analyzed: none where autovacuum is on."""
        # each ANALYZE its own transaction, so that none holds its lock until the last is
        # done; a table another worker is analyzing is left to it
        with self.database.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            autovacuum = connection.exec_driver_sql("SELECT current_setting('autovacuum')")
            if autovacuum.scalar_one() == "on":
                return []
            preparer = connection.dialect.identifier_preparer
            analyzed = []
            for schema, table in connection.exec_driver_sql(_STALE).all():
                name = f"{preparer.quote_schema(schema)}.{preparer.quote(table)}"
                try:
                    connection.exec_driver_sql(f"ANALYZE (SKIP_LOCKED) {name}")
                except DBAPIError:  # dropped since, say: the others still need it
                    log.exception("could not analyze %s", table)
                else:
                    analyzed.append(table)
        return analyzed
