"""The header keeps to a few sections (the documents under one "Documents" link, whose page
lists every kind), so that it fits a phone's width in two rows."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from stockkeeper.tenancy.service import Role
from tests.web.conftest import Web

if TYPE_CHECKING:
    from playwright.sync_api import Page

KINDS = ("/adjustments", "/transfers", "/purchase-orders", "/issues", "/returns", "/reservations")


def _header_links(html: str) -> list[str]:
    header = html.split('<nav aria-label="Sections">')[1].split("</nav>")[0]
    return re.findall(r'<a href="([^"]+)"', header)


def test_the_documents_are_one_section_whose_page_lists_every_kind(
    signed_in: Callable[[Role], Web],
) -> None:
    admin = signed_in(Role.admin)
    links = _header_links(admin.get("/").text)
    assert "/documents" in links and not set(KINDS) & set(links)
    assert len(links) <= 7
    index = admin.get("/documents").text
    assert all(f'<a href="{kind}">' in index for kind in KINDS)
    # the section is the current one on any document's page
    assert '<a href="/documents" aria-current="page">' in admin.get("/transfers").text


def test_an_admins_header_fits_a_phone_in_two_rows(browse: Callable[[Role], Page]) -> None:
    page = browse(Role.admin)
    tops = page.evaluate(
        "[...document.querySelectorAll('header.top nav a')].map(a => a.getBoundingClientRect().top)"
    )
    assert len({round(top) for top in tops}) <= 2, tops
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
