"""Applying an item file's rows, an item (with its variant rows) at a time, through the item
use cases, so that each change has the checks, audit row and event of its own route. A row
the catalogue already holds as it says (cell by cell, as the export writes it) is left alone:
importing a file twice changes nothing the second time, and writes no audit row or event."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service.categories import CategoryNode, CategoryTree, create_category
from stockkeeper.catalog.service.item_prices import PRICE_KIND
from stockkeeper.catalog.values import NewCategory
from stockkeeper.core.errors import DomainError
from stockkeeper.imports.service import cells, item_values
from stockkeeper.imports.service.grouping import Applied, Group, in_turn
from stockkeeper.imports.service.item_catalogue import Catalogue
from stockkeeper.imports.service.item_export import SELLING_GROUP, Cells, item_rows
from stockkeeper.imports.service.item_layout import Row
from stockkeeper.stock.service import items as use_cases
from stockkeeper.tenancy.service import Actor

_TOGETHER = 100  # new items made in one go


@dataclass
class _Chunk:
    """What the groups of a chunk share: the catalogue they name, the items they change as
    rows of the file, and the category tree (categories a path names are made once; a path
    is looked for once, for the thousands of rows naming a few paths)."""

    catalogue: Catalogue
    tree: CategoryTree
    current: dict[str, list[Cells]]
    write: bool
    paths: dict[str, str | None] = field(default_factory=dict)
    children: dict[tuple[str | None, str], str] = field(init=False)

    def __post_init__(self) -> None:
        # a category by its parent and name (the first id when two share them)
        nodes = sorted(self.tree.by_id.values(), key=lambda c: c.id, reverse=True)
        self.children = {(c.parent_id, c.name): c.id for c in nodes}


def apply_groups(
    session: Session,
    actor: Actor,
    groups: Sequence[Group],
    *,
    skip: set[int],
    write: bool,
    seconds: float | None = None,
) -> Applied:
    """Applies the groups' rows, but those in ``skip`` (refused by the checks); with
    ``write`` false only counts what would be created, updated and left unchanged. With
    ``seconds``, stops after the group that reaches that time: ``rows`` says how far."""
    rows = [r for g in groups for r in g.rows if r.number not in skip]
    catalogue = Catalogue.load(session, actor.company_id, rows)
    tree = CategoryTree.load(session, actor.company_id)
    known = {k.id for g in groups if (k := catalogue.item(g.item_code)) is not None}
    items = session.scalars(
        select(Item).where(Item.company_id == actor.company_id, Item.id.in_(known))
    ).all()
    chunk = _Chunk(catalogue, tree, item_rows(session, actor.company_id, items, tree), write)
    applied = Applied()
    new: list[list[Row]] = []  # new items' rows, made together when the run of them ends
    for valid in in_turn(groups, skip, seconds, applied):
        if write and chunk.catalogue.item(valid[0].item_code) is None:
            new.append(valid)
            if len(new) == _TOGETHER:
                new = _create_together(session, actor, new, chunk, applied)
        else:
            new = _create_together(session, actor, new, chunk, applied)
            _apply_group(session, actor, valid, chunk, applied)
    _create_together(session, actor, new, chunk, applied)
    return applied


def _create_together(
    session: Session, actor: Actor, groups: list[list[Row]], chunk: _Chunk, applied: Applied
) -> list[list[Row]]:
    """Makes the new items of these rows in one go (``create_items``: a few statements for
    them all); if one is refused, each goes again on its own, for its refusal to be reported
    at its row and the others made. Returns the list emptied."""
    if not groups:
        return groups
    values = []
    for rows in groups:  # the categories they name made first: they stay, made or not
        own = next(r for r in rows if not r.is_variant)
        names = _names(session, actor, own, chunk, own.values["type"])
        values.append(item_values.new_item(own, names, [r for r in rows if r.is_variant]))
    try:
        with session.begin_nested():
            use_cases.create_items(session, actor, items=values)
        applied.counts["created"] += sum(len(rows) for rows in groups)
    except DomainError:
        for rows in groups:
            _apply_group(session, actor, rows, chunk, applied)
    return []


def _apply_group(
    session: Session, actor: Actor, rows: list[Row], chunk: _Chunk, applied: Applied
) -> None:
    """In a savepoint: what the use cases refuse (a check the file's could not make) undoes
    the item's rows alone, and is reported at its first row."""
    try:
        with session.begin_nested():
            applied.counts.update(_write_group(session, actor, rows, chunk))
    except DomainError as error:
        found = item_values.domain_errors(error.errors, rows[0].is_variant)
        found = found or [("", error.detail)]
        applied.faults += [(rows[0].number, column, reason) for column, reason in found]
        applied.counts["refused"] += len(rows)


def _write_group(session: Session, actor: Actor, rows: list[Row], chunk: _Chunk) -> Counter[str]:
    own = next((r for r in rows if not r.is_variant), None)
    variants = [r for r in rows if r.is_variant]
    known = chunk.catalogue.item(rows[0].item_code)
    if known is None:
        assert own is not None  # the checks refuse a variant with no item
        if chunk.write:
            names = _names(session, actor, own, chunk, own.values["type"])
            values = item_values.new_item(own, names, variants)
            use_cases.create_item(session, actor, item=values)
        return Counter(created=len(rows))
    current = chunk.current[known.id]
    counts: Counter[str] = Counter()
    if own is not None:
        changed = not _same(own, current[0])
        counts["updated" if changed else "unchanged"] += 1
        if changed and chunk.write:
            kind = own.values.get("type") or known.item_type
            changes = item_values.item_changes(own, _names(session, actor, own, chunk, kind))
            use_cases.update_item(session, actor, item_id=known.id, changes=changes)
    for row in variants:
        counts[_write_variant(session, actor, row, known.id, current[1:], chunk)] += 1
    return counts


def _write_variant(
    session: Session, actor: Actor, row: Row, item_id: str, current: list[Cells], chunk: _Chunk
) -> str:
    now = next((c for c in current if c["variantCode"] == row.variant_code), None)
    if now is None:
        if chunk.write:
            variant = item_values.new_variant(row)
            use_cases.create_variant(session, actor, item_id=item_id, variant=variant)
        return "created"
    if _same(row, now):
        return "unchanged"
    if chunk.write:
        variant_id = chunk.catalogue.codes[row.variant_code or ""].id
        changes = item_values.variant_changes(row)
        use_cases.update_variant(
            session, actor, item_id=item_id, variant_id=variant_id, changes=changes
        )
    return "updated"


def _same(row: Row, now: Cells) -> bool:
    """The row says what the catalogue holds. A price in the group of the selling price
    (Sales Price, Rate) is the item's selling price, which the export writes on its own."""
    named = row.values.get("priceGroups") or {}
    group = now.get(SELLING_GROUP)
    if group in named and now.get("priceGroups") is not None:
        now = now | {"priceGroups": now["priceGroups"] | {group: now["sellingPrice"]}}
    return row.text() == {name: cells.text_of(now.get(name)) for name in row.values}


def _names(session: Session, actor: Actor, row: Row, chunk: _Chunk, kind: str) -> item_values.Names:
    supplier = row.values.get("supplier")
    groups = row.values.get("priceGroups") or {}
    groups_of_kind = {(PRICE_KIND[kind], name) for name in groups}
    return item_values.Names(
        category_id=_category(session, actor, row.values.get("category"), chunk),
        supplier_id=chunk.catalogue.suppliers.get(supplier) if supplier else None,
        group_ids={
            key[1]: ident for key, ident in chunk.catalogue.groups.items() if key in groups_of_kind
        },
    )


def _category(session: Session, actor: Actor, path: str | None, chunk: _Chunk) -> str | None:
    """The category of the path, made (with the categories above it) when missing."""
    if not path:
        return None
    if path not in chunk.paths:
        chunk.paths[path] = _made_category(session, actor, path, chunk)
    return chunk.paths[path]


def _made_category(session: Session, actor: Actor, path: str, chunk: _Chunk) -> str | None:
    parent: str | None = None
    for name in path.split(cells.PATH):
        found = chunk.children.get((parent, name))
        if found is None:
            made = create_category(
                session, actor, category=NewCategory(name=name, parent_id=parent)
            ).category
            chunk.tree.by_id[made.id] = CategoryNode(made.id, parent, made.name, made.color)
            found = chunk.children[(parent, name)] = made.id
        parent = found
    return parent
