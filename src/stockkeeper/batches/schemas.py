"""A batch as the canonical API takes it and answers it. Each document is the body its type's
own route takes, with ``type`` beside it: an adjustment's own ``type`` (which its lines
decide anyway) cannot be sent in a batch, where ``type`` names the kind of document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from stockkeeper.adjustments.schemas import AdjustmentCreate, AdjustmentRead
from stockkeeper.batches.values import ATOMIC, MAX_DOCUMENTS, BatchDocument, NewBatch
from stockkeeper.core.api_model import ApiModel
from stockkeeper.sales.schemas import DocumentRead, IssueCreate, ReturnCreate
from stockkeeper.transfers.schemas import TransferCreate, TransferRead


class AdjustmentEntry(AdjustmentCreate):
    type: Literal["adjustment"]  # type: ignore[assignment]  # the kind, not the lines' type


class IssueEntry(IssueCreate):
    type: Literal["issue"]


class ReturnEntry(ReturnCreate):
    type: Literal["return"]


class TransferEntry(TransferCreate):
    type: Literal["transfer"]


Entry = Annotated[
    AdjustmentEntry | IssueEntry | ReturnEntry | TransferEntry, Field(discriminator="type")
]


def _document(entry: Entry) -> BatchDocument:
    """The entry as its type's create takes it (an adjustment's type left to its lines)."""
    if isinstance(entry, AdjustmentEntry):
        return BatchDocument(type="adjustment", document=entry.model_copy(update={"type": None}))
    return BatchDocument(type=entry.type, document=entry)


class DocumentBatchCreate(ApiModel):
    atomic: bool = Field(default=False, description=ATOMIC)
    documents: Sequence[Entry] = Field(min_length=1, max_length=MAX_DOCUMENTS)

    def values(self) -> NewBatch:
        return NewBatch(atomic=self.atomic, documents=[_document(e) for e in self.documents])


class ProblemField(BaseModel):
    field: str = Field(examples=["items.0.quantity"])
    message: str
    code: str


class DocumentProblem(BaseModel):
    """Why a document was refused, as its own route would have said it (without the
    request's members): its status, code and detail, the fields at fault and the details."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int = Field(examples=[409])
    detail: str
    code: str = Field(examples=["insufficient_stock"])
    errors: list[ProblemField] = Field(default_factory=list)


class DocumentBatchResultRead(ApiModel):
    index: int = Field(description="The document's place in `documents`, from 0")
    type: Literal["adjustment", "issue", "return", "transfer"]
    status: Literal["created", "existing", "failed"] = Field(
        description="existing: its `externalId` named a document posted before, which is "
        "`data`; failed: it was refused (and undone), `problem` says why"
    )
    data: AdjustmentRead | DocumentRead | TransferRead | None = Field(
        default=None, description="The document, as its own route answers it"
    )
    problem: DocumentProblem | None = None


class DocumentBatchRead(ApiModel):
    atomic: bool
    created: int
    existing: int
    failed: int
    results: list[DocumentBatchResultRead]
