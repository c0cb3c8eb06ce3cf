"""The sections the header links to. A page module registers its section when it is
imported (``nav.register("Items", "/items", order=10)``), so a screen added later appears in
the navigation by itself, and a link is never shown to a page that does not exist."""

from __future__ import annotations

from dataclasses import dataclass

from stockkeeper.tenancy.service import Role


@dataclass(frozen=True)
class Section:
    title: str
    path: str
    order: int
    needs: Role  # shown only to people with at least this role


_sections: dict[str, Section] = {}


def register(title: str, path: str, *, order: int, needs: Role = Role.viewer) -> None:
    """Adds (or, imported again, replaces) the section at ``path``."""
    _sections[path] = Section(title, path, order, needs)


def sections(role: Role) -> list[Section]:
    """The sections ``role`` may open, in their order."""
    shown = [s for s in _sections.values() if role >= s.needs]
    return sorted(shown, key=lambda s: (s.order, s.title))
