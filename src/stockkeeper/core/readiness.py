"""Whether this process can serve: the database answers and its schema is at the migrations'
head. The worker's heartbeat is reported beside, without deciding: an API process serves
whether or not a worker runs (webhooks and emails then wait in the database)."""

from __future__ import annotations

from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from stockkeeper.core.db import Database
from stockkeeper.core.heartbeat import age_seconds, last_beat
from stockkeeper.core.migrate import alembic_config


@dataclass(frozen=True)
class Readiness:
    reached: bool  # the database answered
    revision: str | None  # the database's migration revision
    head: str  # the code's
    problem: str | None = None  # what is wrong, when something is
    worker_heartbeat_age_seconds: float | None = None  # None: no worker has reported

    @property
    def ready(self) -> bool:
        return self.problem is None

    @property
    def database(self) -> str:
        return self.problem or "ok"


def head_revision(database: Database) -> str:
    head = ScriptDirectory.from_config(alembic_config(database.settings)).get_current_head()
    assert head is not None, "the migrations have a head"
    return head


def check(database: Database) -> Readiness:
    head = head_revision(database)
    try:
        with database.engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
            beat = last_beat(connection) if revision == head else None
    except Exception as error:  # any failure to reach it is the answer
        first = str(getattr(error, "orig", error)).splitlines()[0] if str(error) else ""
        return Readiness(False, None, head, f"unreachable: {type(error).__name__}: {first}")
    if revision != head:
        state = "not migrated" if revision is None else f"at revision {revision}"
        problem = f"{state}; the code needs {head} (run: stockkeeper db upgrade)"
        return Readiness(True, revision, head, problem)
    return Readiness(True, revision, head, None, age_seconds(beat))
