"""The OpenAPI document describes every endpoint of product.md section 7 completely: the
request body, the success body, every error in the one error shape, headers and security."""

from __future__ import annotations

import pytest

SECTION_7 = [  # (method, path, has a JSON body)
    ("put", "/agents", True),
    ("get", "/agents/{external_id}/eligibility", False),
    ("get", "/eligibility", False),
    ("get", "/eligibility/changes", False),
    ("post", "/bulletins", True),
    ("get", "/bulletins/{slug}", False),
    ("get", "/bulletins/{slug}/items", False),
    ("put", "/bulletins/{slug}/items/{item_key}", True),
    ("post", "/bulletins/{slug}/publish", True),
    ("get", "/me/assignments", False),
    ("post", "/me/attempts", True),
    ("put", "/me/attempts/{attempt_id}/answers/{item_id}", True),
    ("get", "/me/attempts/{attempt_id}", False),
    ("post", "/me/attempts/{attempt_id}/submit", False),
    ("get", "/me/eligibility", False),
    ("get", "/reports/readiness", False),
    ("get", "/reports/gaps", False),
    ("get", "/reports/items", False),
    ("post", "/webhook-endpoints", True),
    ("get", "/webhook-endpoints", False),
    ("delete", "/webhook-endpoints/{endpoint_id}", False),
]
ERROR_REF = {"$ref": "#/components/schemas/Error"}


@pytest.fixture(scope="module")
def document():
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    return app.test_client().get("/api/v1/openapi.json").json


def _success(operation: dict) -> tuple[str, dict]:
    status = next(s for s in operation["responses"] if s.startswith("2"))
    return status, operation["responses"][status]


@pytest.mark.parametrize(("method", "path", "has_body"), SECTION_7,
                         ids=[f"{m} {p}" for m, p, _ in SECTION_7])
def test_section_7_operation_is_fully_described(document, method, path, has_body):
    operation = document["paths"][path][method]
    assert operation["security"] == [{"bearer": []}]
    status, success = _success(operation)
    if status != "204":
        schema = success["content"]["application/json"]["schema"]
        assert "$ref" in schema or "properties" in schema, f"{status} has no real schema"
    assert ("requestBody" in operation) == has_body
    if has_body:
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body.get("properties") or body.get("items"), "the body has no real schema"
    errors = {s: r for s, r in operation["responses"].items() if int(s) >= 400}
    assert "401" in errors and "500" not in errors
    for response in errors.values():
        assert response["content"]["application/json"]["schema"] == ERROR_REF


def test_shared_shapes_and_security_scheme(document):
    components = document["components"]
    assert components["securitySchemes"]["bearer"] == {
        **components["securitySchemes"]["bearer"], "type": "http", "scheme": "bearer"}
    error = components["schemas"]["Error"]["properties"]["error"]
    assert error["required"] == ["code", "message", "details"]
    eligibility = components["schemas"]["Eligibility"]
    assert {"agent", "version", "cleared", "blocked"} <= set(eligibility["required"])
    changes = document["paths"]["/eligibility/changes"]["get"]
    wait = next(p for p in changes["parameters"] if p["name"] == "wait")
    assert wait["schema"] == {"type": "number", "minimum": 0, "maximum": 25, "default": 0}
    assert "410" in changes["responses"]


def test_every_reference_resolves(document):
    names = set(document["components"]["schemas"])

    def walk(node):
        if isinstance(node, dict):
            target = node.get("$ref")
            if target is not None:
                assert target.removeprefix("#/components/schemas/") in names, target
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
