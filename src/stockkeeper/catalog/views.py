"""The catalogue as the API returns it, where a read is more than its row: a category with
its path in the tree, the company settings with their defaults filled in."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from stockkeeper.catalog.models import Category
from stockkeeper.catalog.schemas.entities import CategoryRead, SettingsRead


@dataclass(frozen=True)
class CategoryView:
    category: Category
    path: str  # its ancestors' names and its own, from the root


def category_read(view: CategoryView) -> CategoryRead:
    c = view.category
    return CategoryRead(
        id=c.id,
        name=c.name,
        parent_id=c.parent_id,
        path=view.path,
        color=c.color,
        position=c.position,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


@dataclass(frozen=True)
class CompanySettings:
    """The company row's own settings, with its default warehouse and every numbering format."""

    company_id: str
    name: str
    currency: str
    timezone: str
    default_warehouse_id: str | None
    allow_negative_stock: bool
    default_costing_method: str
    lock_date: date | None
    numbering_formats: dict[str, str]


def settings_read(settings: CompanySettings) -> SettingsRead:
    return SettingsRead.model_validate(asdict(settings))
