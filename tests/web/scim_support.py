"""Helpers for the SCIM web tests: requests with the integration token, SCIM payloads."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.models import User
from tests.web.test_directory import events, last_seq  # noqa: F401  (one copy: re-exported)

BASE = "/scim/v2"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ONEVOICE = "urn:onevoice:params:scim:schemas:extension:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


class Scim:
    """A test client speaking SCIM with an integration account's token."""

    def __init__(self, client, org, email: str = "router@example.com"):
        self.client = client
        self.headers = {**org.headers(email), "Content-Type": "application/scim+json"}

    def __call__(self, method: str, path: str, body=None, headers=None, **kwargs):
        import json

        data = None if body is None else (body if isinstance(body, str) else json.dumps(body))
        return self.client.open(f"{BASE}{path}", method=method, data=data,
                                headers={**self.headers, **(headers or {})}, **kwargs)

    def get(self, path, **kw):
        return self("GET", path, **kw)

    def post(self, path, body, **kw):
        return self("POST", path, body, **kw)

    def put(self, path, body, **kw):
        return self("PUT", path, body, **kw)

    def patch(self, path, *operations, **kw):
        return self("PATCH", path, {"schemas": [PATCH], "Operations": list(operations)}, **kw)

    def delete(self, path, **kw):
        return self("DELETE", path, **kw)


def user_body(user_name: str, email: str | None = None, **extra) -> dict:
    """A User as an identity provider sends it."""
    body = {"schemas": [USER, ONEVOICE], "userName": user_name,
            "name": {"givenName": "Mina", "familyName": "Park"},
            "emails": [{"value": email or user_name, "type": "work", "primary": True}],
            "active": True}
    body.update(extra)
    return body


def error_of(response, status: int, scim_type: str | None = None) -> str:
    """Assert the SCIM error shape and return its detail."""
    body = response.get_json(force=True)
    assert response.status_code == status, body
    assert response.mimetype == "application/scim+json"
    assert body["schemas"] == [ERROR] and body["status"] == str(status), body
    assert body.get("scimType") == scim_type, body
    assert body["detail"]
    return body["detail"]


def user_id(app, email: str) -> int:
    """A user's id by e-mail."""
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))
