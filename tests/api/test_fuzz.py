"""Schemathesis against our own OpenAPI document: generated requests, valid and invalid,
never get a server error, an undocumented status or a response off its schema.

(Its ``negative_data_rejection`` check is left out: it counts an empty query string, which is
how it serialises an object into a query parameter, as invalid data that must be refused.)"""

from __future__ import annotations

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from tests.support import Tenant

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
]


def test_api_conforms_to_its_schema(app: FastAPI, tenant: Tenant) -> None:
    headers = {"Authorization": f"Bearer {tenant.admin_key}", "X-Company-Id": tenant.company_id}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), results
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) >= 30
    calls: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=8,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def call(case: schemathesis.Case) -> None:  # type: ignore[type-arg]
                calls.append(case.operation.label)
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                call()
            except Unsatisfiable:
                # nothing in this operation can be made invalid (no parameters, no body)
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert {operation.label for operation in operations} == set(calls)
