"""What the batch use case takes: documents of several types, each what that type's own
create takes, to post together (all or none) or each on its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import ConfigDict, Field

from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.core.errors import Invalid
from stockkeeper.core.values import Values
from stockkeeper.sales.values import NewIssue, NewReturn
from stockkeeper.transfers.values import NewTransfer

DocumentType = Literal["adjustment", "issue", "return", "transfer"]
MAX_DOCUMENTS = 1000
ATOMIC = (
    "true: every document is posted, or none is (the first refusal refuses the batch); "
    "false: each document is posted or refused on its own"
)


class BatchDocument(Values):
    """One document of a batch: its type, and what that type's create takes; or, for one
    that did not parse, why (``refused``)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    type: DocumentType
    document: NewAdjustment | NewReturn | NewIssue | NewTransfer | None = None
    refused: Invalid | None = None


class NewBatch(Values):
    model_config = ConfigDict(frozen=True)

    atomic: bool = Field(default=False, description=ATOMIC)
    documents: Sequence[BatchDocument] = Field(min_length=1, max_length=MAX_DOCUMENTS)
