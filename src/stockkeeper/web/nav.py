"""The sections the header links to. A page module registers its section when it is
imported (``nav.register("Items", "/items", order=10)``), so a screen added later appears in
the navigation by itself, and a link is never shown to a page that does not exist.

A section registered in a group (``group="/documents"``: adjustments, transfers, orders...)
is not in the header, which stays short enough for a phone: the group's own section is,
and its index page lists the group's (``grouped``)."""

from __future__ import annotations

from dataclasses import dataclass

from stockkeeper.tenancy.service import Role


@dataclass(frozen=True)
class Section:
    title: str
    path: str
    order: int
    needs: Role  # shown only to people with at least this role
    group: str | None = None  # the path of the section that lists it, if not the header

    def covers(self, path: str) -> bool:
        """Whether ``path`` is one of this section's pages (or of a section of its group)."""
        paths = [self.path, *(s.path for s in _sections.values() if s.group == self.path)]
        return any(path == p or path.startswith(p + "/") for p in paths)


_sections: dict[str, Section] = {}


def register(
    title: str, path: str, *, order: int, needs: Role = Role.viewer, group: str | None = None
) -> None:
    """Adds (or, imported again, replaces) the section at ``path``."""
    _sections[path] = Section(title, path, order, needs, group)


def sections(role: Role) -> list[Section]:
    """The header's sections that ``role`` may open, in their order."""
    return grouped(None, role)


def grouped(group: str | None, role: Role) -> list[Section]:
    """The sections of ``group`` (None: the header's) that ``role`` may open, in order."""
    shown = [s for s in _sections.values() if s.group == group and role >= s.needs]
    return sorted(shown, key=lambda s: (s.order, s.title))
