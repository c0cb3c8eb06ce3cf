"""Every dialect the app serves."""

from __future__ import annotations

from stockkeeper.compat import Dialect
from stockkeeper.compat.codat import CODAT
from stockkeeper.compat.sage import SAGE
from stockkeeper.compat.smallbiz import SMALLBIZ
from stockkeeper.compat.zoho import ZOHO

DIALECTS: tuple[Dialect, ...] = (SMALLBIZ, ZOHO, SAGE, CODAT)
