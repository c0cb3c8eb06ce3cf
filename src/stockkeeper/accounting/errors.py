"""The accounting slice's own refusals."""

from __future__ import annotations

from stockkeeper.core.errors import Invalid


class WrongTaxKind(Invalid):
    """A sales tax field naming a rate for purchases only, or the other way round."""

    code = "wrong_kind"
    example = "tax.salesTaxCode: the tax rate applies to purchases only"
