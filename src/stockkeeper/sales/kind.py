"""Sales issues and customer returns as kinds of document: one table, each kind its rows,
posted at once when created."""

from __future__ import annotations

from stockkeeper.sales.models import SalesDocument, SalesDocumentLine
from stockkeeper.stock.service.documents import DocumentKind, equals, since, until

_D = SalesDocument
_FILTERS = {
    "date_from": since(_D.document_date),
    "date_to": until(_D.document_date),
    "reference": equals(_D.reference),
    "location_id": equals(_D.location_id),
    "issue_id": equals(_D.issue_id),
    "external_id": equals(_D.external_id),
}


def _kind(name: str) -> DocumentKind[SalesDocument]:
    return DocumentKind(
        name=name,
        model=SalesDocument,
        line=SalesDocumentLine,
        parent="document_id",
        sequence=f"sales_{name}",
        dated_by="document_date",
        number="document_number",
        filters=_FILTERS,
        scope=("kind", name),
    )


ISSUES = _kind("issue")
RETURNS = _kind("return")
