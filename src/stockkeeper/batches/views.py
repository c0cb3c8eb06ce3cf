"""A batch as the API returns it: each document's result, in the order sent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from stockkeeper.adjustments.views import AdjustmentView
from stockkeeper.batches.values import DocumentType
from stockkeeper.core.errors import DomainError
from stockkeeper.sales.views import DocumentView
from stockkeeper.transfers.views import TransferView

Status = Literal["created", "existing", "failed"]
View = AdjustmentView | DocumentView | TransferView


@dataclass(frozen=True)
class Result:
    """What became of one document: its view (``created``, or ``existing`` where its external
    id named one posted before), or the error that refused it (``failed``)."""

    index: int
    type: DocumentType
    view: View | None = None
    refused: DomainError | None = None

    @property
    def status(self) -> Status:
        if self.view is None:
            return "failed"
        return "existing" if self.view.existing else "created"


@dataclass(frozen=True)
class BatchView:
    atomic: bool
    results: list[Result]


def batch_data(view: BatchView, problem: Callable[[DomainError], dict[str, Any]]) -> dict[str, Any]:
    """The batch in the API's shape (``DocumentBatchRead``); ``problem`` renders a refusal as the
    face writes its problems."""
    counts = Counter(result.status for result in view.results)
    return {
        "atomic": view.atomic,
        "created": counts["created"],
        "existing": counts["existing"],
        "failed": counts["failed"],
        "results": [_result(result, problem) for result in view.results],
    }


def _result(result: Result, problem: Callable[[DomainError], dict[str, Any]]) -> dict[str, Any]:
    shown: dict[str, Any] = {"index": result.index, "type": result.type, "status": result.status}
    if result.view is not None:
        shown["data"] = result.view.data
    if result.refused is not None:
        shown["problem"] = problem(result.refused)
    return shown
