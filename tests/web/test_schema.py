"""Schemathesis against the served OpenAPI spec, in-process over ASGI: no server errors, and
responses match the documented status codes, content types and schemas.

(Schemathesis' pytest plugin does not load under pytest 9, so the operations are driven with
their Hypothesis strategies directly.)"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.openapi import from_asgi

from creatorlens.web import create_app

from .webdata import WebWorkspace

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 12


def test_api_conforms_to_its_spec(web_ws: WebWorkspace) -> None:
    app = create_app(web_ws.path)
    try:
        schema = from_asgi("/api/v1/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 10
        tested = []
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def run(case: Any) -> None:
                case.call_and_validate(headers={"X-API-Key": web_ws.key}, checks=CHECKS)

            run()
            tested.append(operation.label)
        assert any("POST /api/v1/ingest" in label for label in tested)
    finally:
        app.state.pool.close()
