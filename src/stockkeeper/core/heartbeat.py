"""The worker's heartbeat: each worker process writes its row every few seconds, so that any
API process (readiness) and the metrics can tell how long ago a worker last reported."""

from __future__ import annotations

import os
import socket
import time
from datetime import datetime

from sqlalchemy import String, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from stockkeeper.core.db import Base, Database, insert_ignoring_duplicates
from stockkeeper.core.types import UTCDateTime, utcnow

BEAT_SECONDS = 5.0


class WorkerHeartbeat(Base):
    __tablename__ = "worker_heartbeat"

    worker: Mapped[str] = mapped_column(String(120), primary_key=True)  # host:pid
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


def last_beat(connection: Session | Connection) -> datetime | None:
    """When a worker last reported, or None when none ever has."""
    beat: datetime | None = connection.scalar(select(func.max(WorkerHeartbeat.beat_at)))
    return beat


def age_seconds(beat: datetime | None, now: datetime | None = None) -> float | None:
    if beat is None:
        return None
    return max(0.0, ((now or utcnow()) - beat).total_seconds())


class Heartbeat:
    """A worker task: writes this process's row every ``BEAT_SECONDS``."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.worker = f"{socket.gethostname()}:{os.getpid()}"[:120]
        self._next = 0.0

    def round(self) -> int:
        if time.monotonic() < self._next:
            return 0
        self._next = time.monotonic() + BEAT_SECONDS
        now = utcnow()
        with self.database.unit_of_work() as session:
            insert = insert_ignoring_duplicates(session, WorkerHeartbeat)
            session.execute(
                insert.values(worker=self.worker, beat_at=now).on_conflict_do_update(
                    index_elements=["worker"], set_={"beat_at": now}
                )
            )
        return 0  # a beat is no work: it does not count as a round that did some
