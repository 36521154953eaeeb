"""Who may call what: every route against every role, through the real policy check.

The table below is the policy as the product means it. A route added without a policy, or
without a row here, fails; so does a route whose behaviour differs from its row.
"""

from __future__ import annotations

import pytest
from flask import url_for

from app.core.security import policy_of
from tests.conftest import login

PUBLIC = "public"
AGENT = ("agent",)
TRAINERS = ("trainer", "admin")
REPORTERS = ("manager", "trainer", "admin")
READERS = ("admin", "manager", "integration")
PEOPLE = ("agent", "trainer", "manager", "admin", "integration")

ROLES = ("anonymous", "agent", "trainer", "manager", "admin", "integration")
EMAILS = {"agent": "agent@example.com", "trainer": "trainer@example.com",
          "manager": "manager@example.com", "admin": "admin@example.com",
          "integration": "router@example.com"}
SAMPLE_ARGS = {"slug": "wibro50-wifi-login", "attempt_id": 1, "item_id": 1,
               "external_id": "A1", "item_key": "f-login-1", "fmt": "gift"}

# endpoint -> roles allowed (PUBLIC: anyone, signed in or not)
WEB = {
    "web.index": PUBLIC,
    "web.healthz": PUBLIC,
    "web.set_language": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PEOPLE,
    "agent.home": AGENT,
    "agent.bulletin": AGENT,
    "agent.acknowledge": AGENT,
    "agent.start_quiz": AGENT,
    "agent.attempt": AGENT,
    "agent.answer": AGENT,
    "agent.autosave": AGENT,
    "agent.result": AGENT,
    "trainer.home": TRAINERS,
    "trainer.new_bulletin": TRAINERS,
    "trainer.bulletin": TRAINERS,
    "trainer.item_status": TRAINERS,
    "trainer.approve_all": TRAINERS,
    "trainer.publish": TRAINERS,
    "trainer.edit_item": TRAINERS,
    "trainer.new_item": TRAINERS,
    "trainer.preview_quiz": TRAINERS,
    "trainer.regenerate": TRAINERS,
    "trainer.export_items": TRAINERS,
    "trainer.item_statistics": TRAINERS,
    "trainer.item_statistics_csv": TRAINERS,
    "manager.home": REPORTERS,
    "admin.home": ("admin",),
}
API = {
    "api.openapi_document": PUBLIC,
    "api.agent_eligibility": READERS,
    "api.create_bulletin": TRAINERS,
    "api.get_bulletin": TRAINERS,
    "api.list_items": TRAINERS,
    "api.add_item": TRAINERS,
    "api.regenerate_items": TRAINERS,
    "api.update_item": TRAINERS,
    "api.publish_bulletin": TRAINERS,
    "api.my_assignments": AGENT,
    "api.start_attempt": AGENT,
    "api.get_attempt": AGENT,
    "api.save_answer": AGENT,
    "api.submit_attempt": AGENT,
    "api.my_eligibility": AGENT,
    "api.readiness_report": REPORTERS,
    "api.item_statistics_report": REPORTERS,
    "api.ping": PEOPLE,
}
# Lifecycle, versions, point in time and knowledge-base search (one block).
WEB.update({"agent.search": AGENT, "trainer.version": TRAINERS, "trainer.diff": TRAINERS,
            "web.in_force": ("agent", "trainer", "manager", "admin")})
API.update({"api.search": ("agent", "trainer", "manager", "admin"),
            "api.bulletins_in_force": ("trainer", "manager", "admin", "integration", "agent")})
SAMPLE_ARGS["number"] = 1
# Manager dashboards: board, gaps, drill-down, trend and their CSV exports (one block).
WEB.update({f"manager.{name}": REPORTERS for name in (
    "readiness_csv", "at_risk_csv", "staffing_csv", "gaps", "gaps_csv", "team", "team_csv",
    "agent", "agent_csv", "trend", "trend_csv")})
API.update({"api.gaps_report": REPORTERS})
SAMPLE_ARGS["code"] = "wibro_care"
# Routing integration: directory sync, eligibility feed, teams/skills, tokens (one block).
WEB.update({f"admin.{name}": ("admin",) for name in (
    "directory_upload", "add_team", "add_skill", "tokens", "create_token", "revoke_token")})
API.update({"api.put_agents": ("admin",), "api.eligibility_listing": READERS,
            "api.eligibility_changes": READERS})
SAMPLE_ARGS["token_id"] = 1
# Certification engine: inbox, practice, agent support, unlock and audit (one block).
WEB.update({**{f"agent.{name}": AGENT for name in (
    "mark_notification_read", "mark_inbox_read", "practice_page", "practice_answer")},
    **{f"support.{name}": ("manager", "admin") for name in (
        "index", "agent", "unlock", "audit_page")}})
API.update({"api.unlock_agent": ("manager", "admin"), "api.eligibility_at": READERS})
# Answered calls and the compliance audit (one block).
API.update({"api.post_calls": ("integration", "admin"),
            "api.compliance_report": ("manager", "admin")})
WEB.update({"manager.compliance": ("manager", "admin"),
            "manager.compliance_csv": ("manager", "admin")})
SAMPLE_ARGS.update({"notification_id": 1, "card_id": 1})
# Webhooks: endpoints, secret rotation, delivery log and redelivery (one block).
WEB.update({f"webhooks_admin.{name}": ("admin",) for name in (
    "index", "create", "endpoint", "set_active", "rotate", "delete", "redeliver")})
API.update({f"api.{name}": ("admin",) for name in (
    "create_webhook_endpoint", "list_webhook_endpoints", "delete_webhook_endpoint",
    "rotate_webhook_secret")})
SAMPLE_ARGS.update({"endpoint_id": 1, "delivery_id": 1})
# Read receipts by name: page, CSV and API (one block).
WEB.update({"manager.receipts": REPORTERS, "manager.receipts_csv": REPORTERS})
API.update({"api.bulletin_receipts": REPORTERS})
# People on the web, invitations and password resets (one block).
WEB.update({f"admin.{name}": ("admin",) for name in (
    "people", "new_person", "person", "edit_person", "set_person_active", "invite_person",
    "person_token")})
WEB.update({"auth.accept_invitation": PUBLIC, "auth.reset_password": PUBLIC,
            "auth.forgot_password": PUBLIC})
SAMPLE_ARGS.update({"person_id": 1, "token": "not-a-real-link"})
# Managers act: reminders from the board (one block).
WEB.update({"manager.confirm_reminder": ("manager", "admin"),
            "manager.send_reminder": ("manager", "admin")})
# Single sign-on: the button's POST and the provider's redirect back (one block).
WEB.update({"auth.sso_start": PUBLIC, "auth.sso_callback": PUBLIC})
# Sessions and sign-ins: live sessions, the security log, sign out everywhere (one block).
WEB.update({"admin.sessions_page": ("admin",), "admin.end_user_sessions": ("admin",)})
SAMPLE_ARGS["user_id"] = 1
# Agents know what to do next: one inbox line (all notices on a bulletin) marked read.
WEB.update({"agent.mark_bulletin_read": AGENT})
SAMPLE_ARGS["version_id"] = 1
# SCIM provisioning under /scim/v2: integration accounts only, errors in SCIM's shape.
SCIM = {f"scim.{name}": ("integration",) for name in (
    "service_provider_config", "resource_types", "resource_type", "schemas", "schema",
    "search_everything", "list_users", "search_users", "get_user", "create_user",
    "replace_user", "patch_user", "delete_user", "list_groups", "search_groups", "get_group",
    "create_group", "replace_group", "patch_group", "delete_group")}
SAMPLE_ARGS.update({"name": "User", "urn": "urn:ietf:params:scim:schemas:core:2.0:User",
                    "group_id": "1"})
# Ids and versions that cannot be hijacked; drafts (one block).
WEB.update({"trainer.drafts_list": TRAINERS, "trainer.discard_draft": TRAINERS})
API.update({"api.create_version": TRAINERS, "api.discard_draft": TRAINERS})
# The review board: approve the ticked items.
WEB.update({"trainer.approve_selected": TRAINERS})
# The guided editor and its live preview (one block).
WEB.update({"trainer.guided": TRAINERS, "trainer.guided_preview": TRAINERS})
TABLE = {**WEB, **API, **SCIM}


def _routed_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}


def _request(app, endpoint: str) -> tuple[str, str]:
    """The method and URL to call ``endpoint`` with sample values for its arguments."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    method = "GET" if "GET" in rule.methods else min(rule.methods - {"HEAD", "OPTIONS"})
    with app.test_request_context():
        return method, url_for(endpoint, **{a: SAMPLE_ARGS[a] for a in rule.arguments})


def _web_clients(app) -> dict:
    clients = {"anonymous": app.test_client()}
    for role, email in EMAILS.items():
        clients[role] = app.test_client()
        assert login(clients[role], email).status_code == 302, role
    return clients


def _is_login_redirect(response) -> bool:
    """The policy's answer to a visitor who is not signed in (it remembers where to return)."""
    return response.status_code == 302 and response.location.startswith("/login?next=")


def _web_mismatch(role: str, allowed, response) -> str | None:
    status = response.status_code
    if allowed == PUBLIC or role in allowed:
        ok = status not in (401, 403) and not _is_login_redirect(response)
    elif role == "anonymous":
        ok = _is_login_redirect(response)
    else:
        ok = status == 403
    return None if ok else f"{role}: {status} {response.location or ''}"


def _api_mismatch(role: str, allowed, response) -> str | None:
    status = response.status_code
    if allowed == PUBLIC or role in allowed:
        return None if status not in (401, 403) else f"{role}: {status}"
    expected = 401 if role == "anonymous" else 403
    error = (response.get_json(silent=True) or {}).get("error")
    if status != expected or not error or set(error) != {"code", "message", "details"}:
        return f"{role}: {status} {response.get_data(as_text=True)[:200]}"
    return None


def test_every_route_declares_a_policy(app):
    undeclared = [rule.rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"
                  and policy_of(app.view_functions[rule.endpoint]) is None]
    assert undeclared == []


def test_every_route_is_in_the_table(app):
    routed = _routed_endpoints(app)
    assert routed - set(TABLE) == set(), "routes missing from the policy table"
    assert set(TABLE) - routed == set(), "table rows without a route"


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_declared_policy_matches_table(app, endpoint):
    policy = policy_of(app.view_functions[endpoint])
    assert policy is not None
    if TABLE[endpoint] != PUBLIC:  # a public API document needs no bearer check
        assert policy.api == (endpoint in API or endpoint in SCIM)
    expected = frozenset() if TABLE[endpoint] == PUBLIC else frozenset(TABLE[endpoint])
    assert policy.roles == expected


@pytest.mark.parametrize("endpoint", sorted(WEB))
def test_web_page_by_role(app, org, endpoint):
    method, url = _request(app, endpoint)
    clients = _web_clients(app)
    mismatches = [_web_mismatch(role, WEB[endpoint], clients[role].open(url, method=method))
                  for role in ROLES]
    assert [m for m in mismatches if m] == [], f"{method} {url}"


@pytest.mark.parametrize("endpoint", sorted(API))
def test_api_route_by_role(app, org, endpoint):
    method, url = _request(app, endpoint)
    client = app.test_client()
    mismatches = []
    for role in ROLES:
        headers = org.headers(EMAILS[role]) if role in EMAILS else {}
        response = client.open(url, method=method, headers=headers, json={})
        mismatches.append(_api_mismatch(role, API[endpoint], response))
    assert [m for m in mismatches if m] == [], f"{method} {url}"


def _scim_mismatch(role: str, allowed, response) -> str | None:
    status = response.status_code
    if role in allowed:
        return None if status not in (401, 403) else f"{role}: {status}"
    expected = 401 if role == "anonymous" else 403
    body = response.get_json(force=True, silent=True) or {}
    shaped = (body.get("schemas") == ["urn:ietf:params:scim:api:messages:2.0:Error"]
              and body.get("status") == str(expected) and body.get("detail")
              and response.mimetype == "application/scim+json")
    return None if status == expected and shaped else f"{role}: {status} {body}"


@pytest.mark.parametrize("endpoint", sorted(SCIM))
def test_scim_route_by_role(app, org, endpoint):
    method, url = _request(app, endpoint)
    client = app.test_client()
    mismatches = []
    for role in ROLES:
        headers = org.headers(EMAILS[role]) if role in EMAILS else {}
        headers["Content-Type"] = "application/scim+json"
        response = client.open(url, method=method, headers=headers, data="{}")
        mismatches.append(_scim_mismatch(role, SCIM[endpoint], response))
    assert [m for m in mismatches if m] == [], f"{method} {url}"


def test_session_cookie_is_not_accepted_on_the_api(client, org):
    assert login(client, "agent@example.com").status_code == 302
    assert client.get("/agent/").status_code == 200  # the session itself works
    response = client.get("/api/v1/me/eligibility")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_bearer_token_is_not_accepted_on_web_pages(client, org):
    headers = org.headers("agent@example.com")
    assert client.get("/api/v1/me/eligibility", headers=headers).status_code == 200
    response = client.get("/agent/", headers=headers)
    assert _is_login_redirect(response)


@pytest.mark.parametrize("header", ["Bearer ov_not-a-real-token", "Basic YWdlbnQ6cGFzcw==",
                                    "Bearer", "ov_nobearer"])
def test_bad_authorization_headers_are_refused(client, org, header):
    response = client.get("/api/v1/me/eligibility", headers={"Authorization": header})
    assert response.status_code == 401
    assert set(response.json["error"]) == {"code", "message", "details"}
