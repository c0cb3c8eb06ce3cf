"""What the count use cases take: a new count and its scope, the entries clerks count, the
lines to count again, the filters of the list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import Field

from stockkeeper.core.api_model import Day, NonNegative, Positive
from stockkeeper.core.text import code_text
from stockkeeper.core.values import Reference, Text, Values

CountStatus = Literal["counting", "submitted", "approved", "posted", "cancelled"]
Code = Annotated[str, code_text(100)]


class NewCount(Values):
    """A count of a location: all of it, or only some categories, bins or items of it (one
    of the three lists at most)."""

    location_id: str = Field(description="The warehouse or store counted")
    category_ids: Sequence[str] | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        description="Count only the items of these categories",
    )
    bin_ids: Sequence[str] | None = Field(
        default=None, min_length=1, max_length=1000, description="Count only these bins"
    )
    item_ids: Sequence[str] | None = Field(
        default=None, min_length=1, max_length=1000, description="Count only these items"
    )
    blind: bool = Field(
        default=False,
        description="Clerks do not see the expected quantities (nor the variances)",
    )
    reference: Reference | None = None
    notes: Text | None = None

    def scope(self) -> dict[str, list[str]]:
        """The scope as the count keeps it: the one list named, if any."""
        named = {
            "category_ids": self.category_ids,
            "bin_ids": self.bin_ids,
            "item_ids": self.item_ids,
        }
        return {name: list(dict.fromkeys(ids)) for name, ids in named.items() if ids is not None}


class CountEntry(Values):
    """One entry of a clerk: what was counted (a code, or the item by its id), and either the
    quantity counted there or ``add`` (a scan adds 1). Which of them it names is checked with
    the rest of the entries, so that one answer names every entry at fault."""

    code: Code | None = Field(
        default=None,
        examples=["WDG-001"],
        description="An item's (or variant's) code or barcode, or a serial number",
    )
    item_id: str | None = None
    variant_id: str | None = None
    bin_id: str | None = Field(default=None, description="A bin of the count's location")
    batch: Code | None = Field(
        default=None, description="The batch number, for an item tracked by batch"
    )
    expiry_date: Day | None = Field(
        default=None,
        examples=["2027-06-30"],
        description="With ``batch``: the expiry date of a batch the count finds first, which "
        "its adjustment creates with it (a known batch keeps its own)",
    )
    serial: Code | None = Field(
        default=None,
        description="A serial number the count finds first: with the item's code or id, for "
        "an item tracked by serial number (a known serial number is a code of its own)",
    )
    quantity: NonNegative | None = Field(
        default=None, examples=[12], description="The quantity counted: it replaces the line's"
    )
    add: Positive | None = Field(
        default=None, examples=[1], description="Added to what the line has counted (a scan: 1)"
    )


class CountedLines(Values):
    entries: Sequence[CountEntry] = Field(min_length=1, max_length=10000)


class Recount(Values):
    line_ids: Sequence[str] = Field(
        min_length=1, max_length=10000, description="The lines to count again"
    )


class CountFilters(Values):
    status: CountStatus | None = None
    location_id: str | None = None
    item_id: str | None = Field(default=None, description="Counts with a line of this item")


class CountScan(Values):
    """One scan at a count, as a clerk on the floor gives it: the code scanned, the bin by its
    code, the batch or serial number the item needs, and the quantity counted there (left
    out, the scan adds 1)."""

    code: Code = Field(description="An item's (or variant's) code or barcode, or a serial number")
    bin: Code | None = Field(default=None, description="The bin's code (or id) at the location")
    batch: Code | None = None
    expiry: Day | None = Field(default=None, description="Of a batch the count finds first")
    serial: Code | None = None
    quantity: NonNegative | None = None
