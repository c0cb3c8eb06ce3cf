"""A batch as the canonical API takes it and answers it. Each document is the body its type's
own route takes, with ``type`` beside it: an adjustment's own ``type`` (which its lines
decide anyway) cannot be sent in a batch, where ``type`` names the kind of document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal, cast, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from stockkeeper.adjustments.schemas import AdjustmentCreate, AdjustmentRead
from stockkeeper.batches.values import ATOMIC, MAX_DOCUMENTS, BatchDocument, DocumentType, NewBatch
from stockkeeper.core.api_model import ApiModel
from stockkeeper.core.errors import FieldError, Invalid
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


_ENTRY: TypeAdapter[Entry] = TypeAdapter(Entry)
_TYPES = get_args(DocumentType)


class Malformed(BaseModel):
    """A document of a known type that its type's body does not parse: refused on its own,
    as a document its service refuses is, rather than the batch with it."""

    type: DocumentType
    errors: list[FieldError]


def _entry(raw: Any) -> Entry | Malformed:
    """A document of a known type, parsed; or, where its type's body does not take it,
    ``Malformed``."""
    try:
        return _ENTRY.validate_python(raw)
    except ValidationError as error:
        found = [
            FieldError(".".join(str(part) for part in e["loc"][1:]) or "body", e["msg"], e["type"])
            for e in error.errors()
        ]
        return Malformed(type=raw["type"], errors=found)


def _untyped(value: list[Any]) -> list[InitErrorDetails]:
    """The documents that name no type of document (or are not objects): the batch cannot
    say what each was, so it is refused whole, each of them named at its place."""
    kinds = ", ".join(_TYPES)
    found = []
    for n, raw in enumerate(value):
        if not isinstance(raw, dict):
            error = PydanticCustomError("object_expected", "a document is a JSON object")
            found.append(InitErrorDetails(type=error, loc=(n,), input=raw))
        elif raw.get("type") not in _TYPES:
            given = raw.get("type")
            said = "names no type" if given is None else "{given} is no type of document"
            error = PydanticCustomError(
                "unknown_document_type", f"{said}: one of {kinds}", {"given": repr(given)}
            )
            found.append(InitErrorDetails(type=error, loc=(n, "type"), input=given))
    return found


class DocumentBatchCreate(ApiModel):
    atomic: bool = Field(default=False, description=ATOMIC)
    documents: Sequence[Entry] = Field(min_length=1, max_length=MAX_DOCUMENTS)

    @field_validator("documents", mode="wrap")
    @classmethod
    def _each_on_its_own(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """Each document is parsed on its own: one its type's body does not take is kept as
        ``Malformed``, for the service to refuse as it refuses any other."""
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_DOCUMENTS:
            return handler(value)  # the list's own errors
        if untyped := _untyped(value):
            raise ValidationError.from_exception_data("documents", untyped)
        return [_entry(raw) for raw in value]

    def values(self) -> NewBatch:
        sent = cast(Sequence[Entry | Malformed], self.documents)  # see _each_on_its_own
        return NewBatch(
            atomic=self.atomic,
            documents=[
                BatchDocument(type=e.type, refused=Invalid.fields(e.errors))
                if isinstance(e, Malformed)
                else _document(e)
                for e in sent
            ],
        )


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
