"""What the alert use cases refuse, one class per error code."""

from __future__ import annotations

from collections.abc import Sequence

from stockkeeper.core.errors import FieldError, Invalid


class InvalidAlertRule(Invalid):
    """A rule that cannot work: every reason, in one error."""

    code = "invalid_alert_rule"
    example = "a low_stock rule watches minimum_stock, not maximum_stock"

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors), errors=errors)
