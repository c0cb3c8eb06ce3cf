"""A transfer as the API returns it and its events carry it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from stockkeeper.catalog.models import Item, Location
from stockkeeper.core.json import dump
from stockkeeper.tenancy.service import Role
from stockkeeper.transfers import schemas
from stockkeeper.transfers.kind import TRANSFERS
from stockkeeper.transfers.models import StockTransfer, StockTransferLine, TransferApproval


@dataclass(frozen=True)
class TransferView:
    transfer: StockTransfer
    source: Location
    destination: Location
    lines: list[tuple[StockTransferLine, Item]]
    approvals: list[TransferApproval]
    existing: bool = False  # a create answered with the transfer its external id names
    # whose read it is: its allowed statuses are those this role may give (None: all the
    # status allows, as the events carry them)
    role: Role | None = None

    @cached_property
    def data(self) -> dict[str, Any]:
        """The transfer in the API's shape, rendered once for its response and its event."""
        return dump(transfer_read(self))


def transfer_read(view: TransferView) -> schemas.TransferRead:
    t = view.transfer
    return schemas.TransferRead(
        id=t.id,
        transfer_number=t.transfer_number,
        date=t.transfer_date,
        status=t.status,
        allowed_statuses=TRANSFERS.allowed(t.status, view.role),
        from_location_id=t.from_location_id,
        from_location=schemas.LocationRef(id=view.source.id, name=view.source.name),
        to_location_id=t.to_location_id,
        to_location=schemas.LocationRef(id=view.destination.id, name=view.destination.name),
        reference=t.reference,
        external_id=t.external_id,
        notes=t.notes,
        items=[_line_read(line, item) for line, item in view.lines],
        shipping=schemas.ShippingRead.model_validate(t.shipping),
        total_value=t.total_value,
        approvals=[schemas.ApprovalRead.model_validate(a) for a in view.approvals],
        created_by=t.created_by,
        created_at=t.created_at,
        updated_at=t.updated_at,
    )


def _line_read(line: StockTransferLine, item: Item) -> schemas.TransferLineRead:
    return schemas.TransferLineRead(
        id=line.id,
        item_id=item.id,
        item_code=item.item_code,
        item_name=item.name,
        variant_id=line.variant_id,
        from_bin_id=line.from_bin_id,
        to_bin_id=line.to_bin_id,
        quantity_requested=line.quantity_requested,
        quantity_shipped=line.quantity_shipped,
        quantity_received=line.quantity_received,
        quantity_written_off=line.quantity_written_off,
        write_off_reason=line.write_off_reason,
        unit_cost=line.unit_cost,
        total_cost=line.total_cost,
        notes=line.notes,
        batches=line.batches,
        serial_numbers=line.serial_numbers,
    )
