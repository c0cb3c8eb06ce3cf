"""Schemathesis against our own OpenAPI document: for every operation, requests generated from
its schema (valid ones, and ones that break it) get no server error, only documented statuses,
responses and headers as documented, and the verdict the schema promises: what the schema
admits is accepted, what it refuses is refused.

- Checks: ``not_a_server_error``, ``status_code_conformance``, ``response_schema_conformance``,
  ``response_headers_conformance``, ``negative_data_rejection`` and
  ``positive_data_acceptance``. A valid request may still be answered 404 (an id that does not
  exist) or 409 (a conflict with what is stored), never anything else but a success, except
  for the refusals below that depend on what the server holds, not on the request's shape.
- Refused by state (``REFUSED_BY_STATE``), as a made-up id in a path is not found: a 422
  ``unknown_<resource>`` for an id in a body or a query that the company does not have; an
  ``invalid_cursor`` (only the server issues cursors); ``idempotency_key_reused`` (a key names
  the first request sent with it); ``future_date`` (a movement dated after the company's
  today). And one rule between two parameters, which JSON Schema cannot state: a report's
  period may not end before it starts (``period_reversed``). And an uploaded file that is
  not one the import can read (``unreadable_import_file``): a schema says a part is a file,
  not what is in it. A batch that is not all or none refuses a document its type's body does
  not take as that document's ``failed`` result, in a 200 (decision 28).
- No NUL characters are generated (``allow-x00 = false``): the API refuses one in any text,
  anywhere, with 400 ``nul_character`` (the README says so once, for every field).
- Credentials are the tenant's, sent with every request; security parameters are not
  generated (``with-security-parameters = false``): the keys and roles have tests of their
  own, and this one is about what the requests carry.
- An object or a list generated for a query parameter goes out as the text urlencode makes of
  it (``{"a": "b"}`` as ``a``, ``{}`` as nothing); ``negative_data_rejection`` judges the
  query as it was sent (``test_an_object_in_a_query_string_is_judged_as_sent`` holds it to
  that), so such a case is refused or counted valid by what the server received.
- A fixed seed, and a bound on the examples, so that a run is repeatable; the cases are made
  once and sent to both engines.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, find, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from schemathesis.schemas import APIOperation

from tests.support import Api

Operation = APIOperation[Any, Any, Any, Any]
SEED = 18
EXAMPLES = 8
CONFIG = {
    "generation": {"allow-x00": False, "with-security-parameters": False},
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "404", "409"]}},
}
# refusals of a valid request that depend on what the server holds: problem codes, and the
# codes of the fields at fault
REFUSED_BY_STATE = {
    "invalid_cursor",
    "idempotency_key_reused",
    "future_date",
    "invalid_timezone",
    "unreadable_import_file",  # a file's content, which the schema cannot state
}
FIELDS_AT_FAULT_BY_STATE = {"unknown_reference", "contradicts_item", "after_today"}
# rules between two values, which JSON Schema cannot state: a comparison, a uniqueness by key
RELATIONAL = {
    "period_reversed",
    "below_minimum",
    "does_not_add_up",
    "duplicate",
    "wrong_kind",
    "contradicts_lines",
    "contradicts_type",
    "no_recipient",
}
# said in the schema's words only: six decimal places (``multipleOf`` would be read in floats)
IN_WORDS = {"too_many_decimals"}


def refused_by_state(response: Any) -> bool:
    """A 422 that depends on what the server holds, or on a rule between two values."""
    if response.status_code != 422:
        return False
    problem = response.json()
    fields = {error.get("code") for error in problem.get("errors", [])}
    return (
        problem.get("code", "").startswith("unknown_")
        or problem.get("code") in REFUSED_BY_STATE
        or (bool(fields) and fields <= FIELDS_AT_FAULT_BY_STATE | RELATIONAL | IN_WORDS)
    )


def accepts_what_the_schema_admits(ctx: Any, response: Any, case: schemathesis.Case[Any]) -> Any:
    """``positive_data_acceptance``, but for the refusals by state."""
    if refused_by_state(response):
        return None
    return positive_data_acceptance(ctx, response, case)


def refused_in_a_batch(response: Any, case: schemathesis.Case[Any]) -> bool:
    """A batch that is not all or none answers a document its type's body does not take with
    that document's own ``failed`` result, ``validation_failed``, and 200 for the batch
    (decision 28): the document is refused, not the batch."""
    if case.operation.label != "POST /api/v1/inventory/batches" or response.status_code != 200:
        return False
    results = response.json()["data"]["results"]
    return any(
        r["status"] == "failed" and r["problem"]["code"] == "validation_failed" for r in results
    )


def rejects_what_the_schema_refuses(ctx: Any, response: Any, case: schemathesis.Case[Any]) -> Any:
    """``negative_data_rejection``, but for the documents a batch refuses on their own."""
    if refused_in_a_batch(response, case):
        return None
    return negative_data_rejection(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    response_headers_conformance,
    rejects_what_the_schema_refuses,
    accepts_what_the_schema_admits,
]


def _operations(app: FastAPI) -> list[Operation]:
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", app, config=SchemathesisConfig.from_dict(CONFIG)
    )
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), results
    return [result.ok() for result in results if isinstance(result, Ok)]


# made once per process and sent to each engine's app: the cases do not depend on the
# engine, and making them (hypothesis, with jsonschema filtering) is most of this test's time
_CASES: dict[tuple[str, GenerationMode], list[schemathesis.Case[Any]]] = {}


def _cases(operation: Operation, mode: GenerationMode) -> list[schemathesis.Case[Any]]:
    key = (operation.label, mode)
    if key not in _CASES:
        _CASES[key] = _generate(operation, mode)
    return _CASES[key]


def _generate(operation: Operation, mode: GenerationMode) -> list[schemathesis.Case[Any]]:
    cases: list[schemathesis.Case[Any]] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @seed(SEED)
    def keep(case: schemathesis.Case[Any]) -> None:
        cases.append(case)

    try:
        keep()
    except Unsatisfiable:
        # nothing in this operation can be made invalid (no parameters, no body)
        assert mode is GenerationMode.NEGATIVE, operation.label
    return cases


def _fuzz(
    app: FastAPI, operation: Operation, mode: GenerationMode, headers: dict[str, str]
) -> tuple[int, list[str]]:
    """Sends one operation's cases of one mode to ``app``: how many, and what failed."""
    cases = _cases(operation, mode)
    failures = []
    for case in cases:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS, app=app)
        except BaseExceptionGroup as failure:  # schemathesis reports its failures as one group
            failures.append(f"{operation.label} ({mode.name.lower()}): {failure}")
    return len(cases), failures


def test_api_conforms_to_its_schema(app: FastAPI, api: Api) -> None:
    api.put("/api/v1/settings", {"defaultWarehouseId": api.location(type="warehouse")["id"]})
    operations = _operations(app)
    assert len(operations) >= 30
    failures: list[str] = []
    sent: dict[str, int] = {}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            count, failed = _fuzz(app, operation, mode, api.headers)
            sent[operation.label] = sent.get(operation.label, 0) + count
            failures += failed
    assert not failures, "\n\n".join(failures)
    assert all(sent.values()) and set(sent) == {operation.label for operation in operations}


def test_an_object_in_a_query_string_is_judged_as_sent(app: FastAPI, api: Api) -> None:
    [listing] = [o for o in _operations(app) if o.label == "GET /api/v1/items"]
    case = find(
        listing.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        # a search of text made invalid (too long), not of another type (an empty list goes
        # out as no search at all)
        lambda case: (
            [m.parameter for m in case.meta.phase.data.mutations] == ["search"]
            and isinstance(case.query.get("search"), str)
        ),
        # a search past what the first hundred cases hold, so that what ran before in this
        # process (which shifts hypothesis' choices) cannot leave it without one
        settings=settings(
            database=None,
            derandomize=True,
            max_examples=5000,
            suppress_health_check=list(HealthCheck),
        ),
    )
    too_long = case.query["search"]
    # an object goes out as its keys, an empty one as an empty string: valid text, accepted
    for value, sent in (({}, "search="), ({"widget": "x"}, "search=widget")):
        case.query = {"search": value}
        response = case.call(headers=api.headers)
        query = httpx.URL(str(response.request.url)).query
        assert (response.status_code, query) == (200, sent.encode()), response.text
        case.validate_response(response, headers=api.headers, checks=[negative_data_rejection])
    # what is sent invalid and accepted is still a failure (a server that took it, forged)
    case.query = {"search": too_long}
    url = f"http://testserver/api/v1/items?search={too_long}"
    accepted = httpx.Response(200, json={}, request=httpx.Request("GET", url))
    accepted.elapsed = dt.timedelta(0)  # as a transport would have set it
    with pytest.raises(BaseExceptionGroup, match="Invalid data should have been rejected"):
        case.validate_response(accepted, headers=api.headers, checks=[negative_data_rejection])
