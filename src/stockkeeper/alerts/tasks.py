"""The alerts' share of the worker's rounds: the scheduled check and the emails."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import select

from stockkeeper.alerts.checks import check_company, needs_check
from stockkeeper.alerts.mail import Mailer
from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from stockkeeper.tenancy.models import Company


class ScheduledCheck:
    """Checks every company's alerts at start and then every ``alert_check_seconds``."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings
        self._next = 0.0

    def round(self) -> int:
        if time.monotonic() < self._next:
            return 0
        self._next = time.monotonic() + self.settings.alert_check_seconds
        return self.run()

    def run(self) -> int:
        """Checks each company in a transaction of its own; how many alerts changed."""
        with self.database.unit_of_work(write=False) as session:
            companies = list(session.scalars(select(Company.id).order_by(Company.id)))
        changed, days = 0, self.settings.expiry_warning_days
        for company_id in companies:
            with self.database.unit_of_work(write=False) as session:
                if not needs_check(session, company_id, warning_days=days):
                    continue
            with self.database.unit_of_work() as session:
                changed += len(check_company(session, company_id, warning_days=days))
        return changed


def tasks(database: Database, settings: Settings) -> list[Callable[[], int]]:
    return [ScheduledCheck(database, settings).round, Mailer(database, settings).round]
