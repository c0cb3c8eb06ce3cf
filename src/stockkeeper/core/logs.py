"""Logs: JSON lines for machines (production), aligned text for people (development).

Every record, ours or a library's, goes through one ``structlog`` chain on the standard
``logging`` handlers, so ``logging.getLogger(...)`` calls and ``structlog`` ones come out
alike. A record made while a request is answered carries that request's fields (its id, and
once it is known the company and the key's id, never the key): ``request_fields`` is one
dict per request that the HTTP face fills as it learns them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from contextvars import ContextVar
from typing import Any

import structlog

from stockkeeper.core.settings import Settings

_request: ContextVar[dict[str, str] | None] = ContextVar("request_fields", default=None)
_HANDLER_NAME = "stockkeeper"

# libraries whose INFO lines say what our own lines say better
_QUIETER = {
    "uvicorn.access": logging.WARNING,
    "httpx": logging.WARNING,
    "alembic.runtime.migration": logging.WARNING,  # /ready asks the revision each time
}


def start_request(request_id: str) -> dict[str, str]:
    """A new request's fields, seen by every record made while it is answered; the caller
    resets them with ``end_request``."""
    fields = {"request_id": request_id}
    _request.set(fields)
    return fields


def end_request() -> None:
    _request.set(None)


def request_fields() -> dict[str, str]:
    """The fields of the request being answered (an empty dict outside one). A dict that is
    filled in, not a context variable that is set, so what a dependency adds in its own
    context (the company, the key) reaches the request's last line too."""
    return _request.get() or {}


def current_request_id() -> str:
    """The id of the request being answered ("" outside one)."""
    return request_fields().get("request_id", "")


def _add_request_fields(
    _logger: Any, _name: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key, value in request_fields().items():
        event.setdefault(key, value)
    return event


def _drop_message(
    _logger: Any, _name: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    # a standard record's formatted text, which is the event already (uvicorn's in colour too)
    event.pop("message", None)
    event.pop("color_message", None)
    return event


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record comes (a test's capture too)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def json_lines(settings: Settings) -> bool:
    if settings.log_format == "auto":
        return settings.environment == "production"
    return settings.log_format == "json"


def configure(settings: Settings) -> None:
    """Sends every record to stderr in the settings' format; safe to call again."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        _add_request_fields,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    rendering: list[Any] = (
        [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
        if json_lines(settings)
        # a plain traceback: with rich installed (a dependency's), the console's default
        # prints every frame's variables, a request's Authorization header among them
        else [
            structlog.dev.ConsoleRenderer(
                colors=sys.stderr.isatty(), exception_formatter=structlog.dev.plain_traceback
            )
        ]
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = _Stderr()
    handler.name = _HANDLER_NAME
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            # a standard record's ``extra`` fields are fields of the line too
            foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder(), _drop_message],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *rendering],
        )
    )
    root = logging.getLogger()
    # ours replaces ours; a handler someone else installed (a test's capture) stays
    root.handlers = [h for h in root.handlers if h.name != _HANDLER_NAME] + [handler]
    root.setLevel(settings.log_level)
    for name, level in _QUIETER.items():
        logging.getLogger(name).setLevel(level)
