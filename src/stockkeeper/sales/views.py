"""A sales issue or customer return as the API returns it and its events carry it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from stockkeeper.catalog.models import Item, Location
from stockkeeper.core.json import dump
from stockkeeper.sales.models import SalesDocument, SalesDocumentLine
from stockkeeper.sales.schemas import DocumentLineRead, DocumentRead, LocationRef


@dataclass(frozen=True)
class DocumentView:
    document: SalesDocument
    location: Location
    lines: list[tuple[SalesDocumentLine, Item]]
    existing: bool = False  # a create answered with the document its external id names

    @cached_property
    def data(self) -> dict[str, Any]:
        return dump(document_read(self))


def document_read(view: DocumentView) -> DocumentRead:
    d = view.document
    return DocumentRead(
        id=d.id,
        document_number=d.document_number,
        date=d.document_date,
        location_id=d.location_id,
        location=LocationRef(id=view.location.id, name=view.location.name),
        issue_id=d.issue_id,
        reference=d.reference,
        external_id=d.external_id,
        customer=d.customer,
        notes=d.notes,
        total_value=d.total_value,
        created_by=d.created_by,
        created_at=d.created_at,
        items=[_line_read(line, item) for line, item in view.lines],
    )


def _line_read(line: SalesDocumentLine, item: Item) -> DocumentLineRead:
    return DocumentLineRead(
        id=line.id,
        item_id=item.id,
        item_code=item.item_code,
        item_name=item.name,
        variant_id=line.variant_id,
        location_id=line.location_id,
        bin_id=line.bin_id,
        quantity=line.quantity,
        unit_cost=line.unit_cost,
        total_cost=line.total_cost,
        notes=line.notes,
        batches=line.batches,
        serial_numbers=line.serial_numbers,
    )
