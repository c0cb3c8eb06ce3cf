"""Imports every slice's models so that ``Base.metadata`` holds the whole schema (Alembic)."""

from stockkeeper.accounting import models as accounting_models
from stockkeeper.adjustments import models as adjustment_models
from stockkeeper.alerts import models as alert_models
from stockkeeper.bookkeeping import models as bookkeeping_models
from stockkeeper.catalog import models as catalog_models
from stockkeeper.core import audit, heartbeat, idempotency, outbox, record_numbers, sequences
from stockkeeper.core.db import Base
from stockkeeper.costing import models as costing_models
from stockkeeper.counts import models as count_models
from stockkeeper.imports import models as import_models
from stockkeeper.people import models as people_models
from stockkeeper.purchasing import models as purchasing_models
from stockkeeper.sales import models as sales_models
from stockkeeper.stock import models as stock_models
from stockkeeper.tenancy import models as tenancy_models
from stockkeeper.transfers import models as transfer_models
from stockkeeper.webhooks import models as webhook_models

metadata = Base.metadata

__all__ = [
    "accounting_models",
    "adjustment_models",
    "alert_models",
    "audit",
    "bookkeeping_models",
    "catalog_models",
    "costing_models",
    "count_models",
    "heartbeat",
    "idempotency",
    "import_models",
    "metadata",
    "outbox",
    "people_models",
    "purchasing_models",
    "record_numbers",
    "sales_models",
    "sequences",
    "stock_models",
    "tenancy_models",
    "transfer_models",
    "webhook_models",
]
