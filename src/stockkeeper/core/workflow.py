"""Document workflows: which moves each status allows, and the one refusal for the rest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stockkeeper.core.errors import Conflict


@dataclass(frozen=True)
class Workflow:
    """``moves`` maps each status to the moves it allows (actions or target statuses);
    ``listed_as`` names that list in the 409 (``allowedActions``, ``allowedStatuses``)."""

    document: str
    moves: dict[str, tuple[str, ...]]
    listed_as: str

    def allowed(self, status: str) -> list[str]:
        return list(self.moves[status])

    def require(self, status: str, move: str, attempted: str) -> None:
        """Refuses ``move`` unless ``status`` allows it; ``attempted`` says what was tried."""
        allowed = self.allowed(status)
        if move not in allowed:
            listed: dict[str, Any] = {self.listed_as: allowed}
            raise Conflict(
                f"a {status.replace('_', ' ')} {self.document} cannot {attempted}; "
                f"allowed: {', '.join(allowed) or 'nothing'}",
                code="illegal_transition",
                currentStatus=status,
                **listed,
            )
