"""The category tree: paths, positions among siblings, no cycles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.errors import in_use, unknown_reference
from stockkeeper.catalog.models import Category, Item
from stockkeeper.catalog.service.common import apply, exists, get_owned
from stockkeeper.core.errors import Invalid, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.tenancy.service import Actor


class CategoryNode(NamedTuple):
    id: str
    parent_id: str | None
    name: str


@dataclass(frozen=True)
class CategoryTree:
    """All of a company's categories (just ids, parents and names, read as plain rows in one
    query), for paths and subtrees."""

    by_id: dict[str, CategoryNode]

    @classmethod
    def load(cls, session: Session, company_id: str) -> CategoryTree:
        rows = session.execute(
            select(Category.id, Category.parent_id, Category.name).where(
                Category.company_id == company_id
            )
        )
        return cls({row.id: CategoryNode(*row) for row in rows})

    def path(self, category_id: str) -> str:
        names: list[str] = []
        current: str | None = category_id
        while current is not None and current in self.by_id and len(names) <= len(self.by_id):
            names.append(self.by_id[current].name)
            current = self.by_id[current].parent_id
        return " > ".join(reversed(names))

    def subtree(self, category_id: str) -> set[str]:
        children: dict[str | None, list[str]] = {}
        for c in self.by_id.values():
            children.setdefault(c.parent_id, []).append(c.id)
        found, stack = set(), [category_id]
        while stack:
            current = stack.pop()
            found.add(current)
            stack.extend(children.get(current, []))
        return found


def get_category(session: Session, actor: Actor, *, category_id: str) -> Category:
    return get_owned(session, Category, actor.company_id, category_id, "category")


def _check_parent(session: Session, actor: Actor, parent_id: str | None) -> None:
    if parent_id is not None and not exists(session, Category, actor.company_id, id=parent_id):
        raise unknown_reference("parentId", "category", parent_id)


def _next_position(session: Session, company_id: str, parent_id: str | None) -> int:
    same_parent = (
        Category.parent_id.is_(None) if parent_id is None else Category.parent_id == parent_id
    )
    statement = select(func.max(Category.position)).where(
        Category.company_id == company_id, same_parent
    )
    last = session.scalar(statement)
    return 0 if last is None else last + 1


def create_category(session: Session, actor: Actor, *, values: dict[str, Any]) -> Category:
    _check_parent(session, actor, values.get("parent_id"))
    if values.get("position") is None:
        values["position"] = _next_position(session, actor.company_id, values.get("parent_id"))
    category = Category(id=new_id("cat"), company_id=actor.company_id, **values)
    session.add(category)
    session.flush()
    return category


def update_category(
    session: Session, actor: Actor, *, category_id: str, changes: dict[str, Any]
) -> Category:
    category = get_category(session, actor, category_id=category_id)
    if changes.get("parent_id") is not None:
        _check_parent(session, actor, changes["parent_id"])
        if changes["parent_id"] in CategoryTree.load(session, actor.company_id).subtree(
            category.id
        ):
            raise Invalid(
                "a category cannot be moved under itself or one of its descendants",
                code="category_cycle",
                errors=[field_error("parentId", "would make a cycle", "cycle")],
            )
    apply(category, changes, required=("name", "color", "position"))
    session.flush()
    return category


def delete_category(session: Session, actor: Actor, *, category_id: str) -> None:
    category = get_category(session, actor, category_id=category_id)
    if exists(session, Category, actor.company_id, parent_id=category.id):
        raise in_use("category", category_id, "it has subcategories")
    if exists(session, Item, actor.company_id, category_id=category.id):
        raise in_use("category", category_id, "items are filed under it")
    session.delete(category)
    session.flush()


def list_categories(session: Session, actor: Actor) -> list[Category]:
    """Every category of the company, by position (then name)."""
    statement = select(Category).where(Category.company_id == actor.company_id)
    rows = session.scalars(statement)
    return sorted(rows, key=lambda c: (c.position, c.name.lower(), c.id))
