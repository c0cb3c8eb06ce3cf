"""Counting with a scanner: the scan field of a count's page posts each scan here. Without
JavaScript the count's page comes back with the scan's answer; ``static/scan.js`` asks for
the scan's part alone (``?fragment=1``) and swaps it in, the focus kept in the field, so a
clerk scans on without a dialog. Listed before ``counts`` in ``PAGES`` (its path is no
lifecycle action)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.counts import service
from stockkeeper.counts.service.scanning import Scanned
from stockkeeper.counts.values import CountScan
from stockkeeper.tenancy.service import Actor
from stockkeeper.web.auth import Clerk, DbSession
from stockkeeper.web.documents.counts import PATH, count_review
from stockkeeper.web.documents.lines import Posted, given
from stockkeeper.web.forms import Form, attempt, parse
from stockkeeper.web.item_format import FORMATS
from stockkeeper.web.pages import page_router, render

router = page_router()

FIELDS = ("code", "quantity", "bin", "batch", "expiry", "serial")


@router.post("/counts/{count_id}/scan")
def scan_action(
    request: Request, session: DbSession, visit: Clerk, count_id: str, posted: Posted
) -> Response:
    typed = {name: posted.get(name, "").strip() for name in FIELDS}
    done = attempt(session, typed, lambda: _scan(session, visit.actor, count_id, typed))
    # after a scan counted, the field is empty for the next one, in the same bin
    form = done.form if done.form.failed else Form({"bin": typed["bin"]})
    if request.query_params.get("fragment") == "1":
        context: dict[str, Any] = {"scan_form": form, "scanned": done.result, **FORMATS}
        return render(request, "counts/_scan.html", form.status, path=_path(count_id), **context)
    return count_review(request, session, visit, count_id, Form(), form, done.result)


def _path(count_id: str) -> str:
    return f"{PATH}/{count_id}"


def _scan(session: Session, actor: Actor, count_id: str, typed: dict[str, str]) -> Scanned:
    scan = parse(CountScan, given(**typed))
    return service.scan_count(session, actor, count_id=count_id, scan=scan)
