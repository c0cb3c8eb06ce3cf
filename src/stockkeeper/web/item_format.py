"""How the item screens write numbers: quantities as they are (no trailing zeros), money with
at least its two decimals, nothing as a dash."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

_CENT = Decimal("0.01")
NOTHING = "—"


def quantity(value: Decimal | None) -> str:
    """``12.500000`` as ``12.5``; ``1E+2`` as ``100``."""
    if value is None:
        return NOTHING
    return f"{value.normalize():f}" if value else "0"


def money(value: Decimal | None) -> str:
    """``12.5`` as ``12.50``; ``3.333333`` as it is."""
    if value is None:
        return NOTHING
    shown = value.normalize()
    exponent = shown.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        shown = value.quantize(_CENT)
    return f"{shown:f}"


# what the item templates take, passed with their context
FORMATS: dict[str, Any] = {"quantity": quantity, "money": money}
