"""Schemathesis against the served OpenAPI spec, in-process over ASGI: no server errors, and
responses match the documented status codes, content types, schemas and security (a read the
spec says needs a key must refuse a request without one; a read that works without a key must
not declare one). Run with reads open and with --require-key-for-reads.

(Schemathesis' pytest plugin does not load under pytest 9, so the operations are driven with
their Hypothesis strategies directly.)"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.core.result import Ok
from schemathesis.openapi import from_asgi

from creatorlens.web import create_app

from .webdata import WebWorkspace

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.ignored_auth,
    checks.negative_data_rejection,
    checks.missing_required_header,
    checks.unsupported_method,
]
EXAMPLES_PER_OPERATION = 12


@pytest.mark.parametrize("reads_need_key", [False, True], ids=["open-reads", "keyed-reads"])
def test_api_conforms_to_its_spec(web_ws: WebWorkspace, reads_need_key: bool) -> None:
    # Schemathesis' ASGI client sends "Host: testserver"
    app = create_app(web_ws.path, api_keys_required_for_reads=reads_need_key, allowed_hosts=("testserver",))
    try:
        schema = from_asgi("/api/v1/openapi.json", app)
        operations = []
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), result.err()  # an operation the schema does not describe well
            operations.append(result.ok())
        assert len(operations) >= 10
        secured = {op.label for op in operations if op.definition.raw.get("security")}
        if reads_need_key:
            assert secured == {op.label for op in operations} - {"GET /api/v1/health"}
        else:
            assert secured == {"POST /api/v1/ingest", "POST /api/v1/plans"}
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
