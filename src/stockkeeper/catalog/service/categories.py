"""The category tree: paths, positions among siblings, no cycles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from stockkeeper.accounting.service.common import SHOWN_USERS, account_users
from stockkeeper.accounting.service.references import check_account
from stockkeeper.catalog.errors import CategoryCycle
from stockkeeper.catalog.models import Category, Item
from stockkeeper.catalog.service.common import apply, exists, get_owned, sent
from stockkeeper.catalog.values import CategoryChanges, NewCategory
from stockkeeper.catalog.views import CategoryView
from stockkeeper.core import audit
from stockkeeper.core.errors import InUse, UnknownReference
from stockkeeper.core.ids import new_id
from stockkeeper.tenancy.service import Actor

_ACCOUNT = "inventory_account_id"  # overrides the company's default inventory account


class CategoryNode(NamedTuple):
    id: str
    parent_id: str | None
    name: str
    color: str


@dataclass(frozen=True)
class CategoryTree:
    """All of a company's categories (just ids, parents, names and colours, read as plain rows
    in one query), for paths and subtrees."""

    by_id: dict[str, CategoryNode]

    @classmethod
    def load(cls, session: Session, company_id: str) -> CategoryTree:
        rows = session.execute(
            select(Category.id, Category.parent_id, Category.name, Category.color).where(
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


def list_categories(session: Session, actor: Actor) -> list[CategoryView]:
    """Every category of the company, by position (then name)."""
    tree = CategoryTree.load(session, actor.company_id)
    rows = session.scalars(
        select(Category)
        .where(Category.company_id == actor.company_id)
        .options(selectinload(Category.inventory_account))
    )
    ordered = sorted(rows, key=lambda c: (c.position, c.name.lower(), c.id))
    return [CategoryView(c, tree.path(c.id)) for c in ordered]


def get_category(session: Session, actor: Actor, *, category_id: str) -> CategoryView:
    return _view(session, actor, _category(session, actor, category_id))


def create_category(session: Session, actor: Actor, *, category: NewCategory) -> CategoryView:
    _check_parent(session, actor, category.parent_id)
    check_account(session, actor.company_id, _ACCOUNT, category.inventory_account_id)
    position = category.position
    if position is None:
        position = _next_position(session, actor.company_id, category.parent_id)
    row = Category(
        id=new_id("cat"),
        company_id=actor.company_id,
        name=category.name,
        parent_id=category.parent_id,
        color=category.color,
        position=position,
        inventory_account_id=category.inventory_account_id,
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "category.created", "category", row.id, name=row.name)
    return _view(session, actor, row)


def update_category(
    session: Session, actor: Actor, *, category_id: str, changes: CategoryChanges
) -> CategoryView:
    """Renames, recolours or moves a category; never under itself or its descendants."""
    row = _category(session, actor, category_id)
    if changes.parent_id is not None:
        _check_parent(session, actor, changes.parent_id)
        if changes.parent_id in CategoryTree.load(session, actor.company_id).subtree(row.id):
            raise CategoryCycle()
    if changes.given(_ACCOUNT):
        check_account(session, actor.company_id, _ACCOUNT, changes.inventory_account_id)
        session.expire(row, ["inventory_account"])
    apply(row, sent(changes), required=("name", "color", "position"))
    session.flush()
    audit.record(session, actor, "category.updated", "category", row.id, **sent(changes))
    return _view(session, actor, row)


def delete_category(session: Session, actor: Actor, *, category_id: str) -> None:
    """Only a category with no subcategories and no items filed under it."""
    row = _category(session, actor, category_id)
    if exists(session, Category, actor.company_id, parent_id=row.id):
        raise InUse("category", category_id, "it has subcategories")
    if exists(session, Item, actor.company_id, category_id=row.id):
        raise InUse("category", category_id, "items are filed under it")
    session.delete(row)
    session.flush()
    audit.record(session, actor, "category.deleted", "category", row.id, name=row.name)


def _category(session: Session, actor: Actor, category_id: str) -> Category:
    return get_owned(session, Category, actor.company_id, category_id, "category")


def _view(session: Session, actor: Actor, row: Category) -> CategoryView:
    return CategoryView(row, CategoryTree.load(session, actor.company_id).path(row.id))


def _check_parent(session: Session, actor: Actor, parent_id: str | None) -> None:
    if parent_id is not None and not exists(session, Category, actor.company_id, id=parent_id):
        raise UnknownReference.at("parent_id", "category", parent_id)


def _next_position(session: Session, company_id: str, parent_id: str | None) -> int:
    same_parent = (
        Category.parent_id.is_(None) if parent_id is None else Category.parent_id == parent_id
    )
    statement = select(func.max(Category.position)).where(
        Category.company_id == company_id, same_parent
    )
    last = session.scalar(statement)
    return 0 if last is None else last + 1


def _categories_naming(session: Session, company_id: str, refs: tuple[str, str]) -> list[str]:
    statement = select(Category.name).where(
        Category.company_id == company_id, Category.inventory_account_id.in_(refs)
    )
    names = session.scalars(statement.order_by(Category.name).limit(SHOWN_USERS + 1))
    return [f"category {name}" for name in names]


account_users.append(_categories_naming)
