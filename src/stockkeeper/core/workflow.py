"""Document workflows: which moves each status allows, and the one refusal for the rest."""

from __future__ import annotations

from dataclasses import dataclass, field

from stockkeeper.core.errors import IllegalTransition


@dataclass(frozen=True)
class Workflow:
    """``moves`` maps each status to the moves it allows: actions (``post``) or the statuses
    it may become (``shipped``). ``listed_as`` names that list in reads and in the 409
    (``allowed_actions``, ``allowed_statuses``); ``past`` words an action in the refusal
    (``post`` -> "be posted"); a move it does not name is a status to become."""

    document: str
    moves: dict[str, tuple[str, ...]]
    listed_as: str
    past: dict[str, str] = field(default_factory=dict)

    def allowed(self, status: str) -> list[str]:
        return list(self.moves[status])

    def require(self, status: str, move: str) -> None:
        """Refuses ``move`` unless ``status`` allows it."""
        allowed = self.allowed(status)
        if move not in allowed:
            attempted = (
                f"be {self.past[move]}" if move in self.past else f"become {move.replace('_', ' ')}"
            )
            raise IllegalTransition(self.document, status, attempted, allowed, self.listed_as)
