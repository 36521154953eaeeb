"""API tokens managed by admins: the admin page (create once-shown, revoke) and the CLI."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import ApiToken, utcnow

ELIGIBILITY = "/api/v1/agents/A1/eligibility"


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ApiToken))


def _token_in(html: str) -> str:
    return re.search(r'id="new-token" readonly value="(ov_[^"]+)"', html).group(1)


def _today(app) -> date:
    return datetime.now(ZoneInfo(app.config["ONEVOICE_TIMEZONE"])).date()


def _create(admin, **fields):
    return admin.post("/admin/tokens", data={"email": "router@example.com", "name": "routing",
                                             **fields})


def test_admin_creates_a_token_shown_once_and_stored_hashed(as_role, org, client):
    admin = as_role("admin")
    response = _create(admin)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    token = _token_in(html)
    assert "the only time the token is shown" in html
    with org.app.app_context():
        record = db.session.scalar(select(ApiToken).where(ApiToken.name == "routing"))
        assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (record.prefix, record.name) and token.startswith(record.prefix)
        assert record.expires_at is None and record.user.email == "router@example.com"
    used = client.get(ELIGIBILITY, headers={"Authorization": f"Bearer {token}"})
    assert used.status_code == 200
    page = admin.get("/admin/tokens").get_data(as_text=True)
    assert token not in page and f"<code>{token[:10]}…</code>" in page


def test_token_page_shows_last_use_and_state(as_role, org, client):
    admin = as_role("admin")
    token = _token_in(_create(admin).get_data(as_text=True))

    def row() -> str:
        page = admin.get("/admin/tokens").get_data(as_text=True)
        return re.search(r"<tr>\s*<td>\d+</td><td>routing</td>.*?</tr>", page, re.DOTALL).group(0)

    assert row().count("never") == 2  # not used yet, no expiry
    client.get(ELIGIBILITY, headers={"Authorization": f"Bearer {token}"})
    assert row().count("never") == 1 and 'class="tag ok">active' in row()


def test_expiry_date_is_the_last_day_of_validity(as_role, org, client):
    admin = as_role("admin")
    today = _today(org.app)
    token = _token_in(_create(admin, expires_on=today.isoformat()).get_data(as_text=True))
    with org.app.app_context():
        expires = db.session.scalar(select(ApiToken.expires_at))
    local = expires.astimezone(ZoneInfo(org.app.config["ONEVOICE_TIMEZONE"]))
    assert (local.date(), local.hour, local.minute) == (today + timedelta(days=1), 0, 0)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(ELIGIBILITY, headers=headers).status_code == 200
    with org.app.app_context(), unit_of_work():  # the day has passed
        db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get(ELIGIBILITY, headers=headers).status_code == 401
    assert 'class="tag">expired' in admin.get("/admin/tokens").get_data(as_text=True)


@pytest.mark.parametrize(("fields", "words"), [
    ({"expires_on": "2001-01-01"}, "the expiry date 2001-01-01 is in the past"),
    ({"expires_on": "next week"}, "Not a valid date value"),
    ({"email": "ghost@example.com"}, "no user with email &#39;ghost@example.com&#39;"),
    ({"email": ""}, "This field is required"),
], ids=["past", "not-a-date", "unknown-user", "no-user"])
def test_bad_token_forms_create_nothing(as_role, org, fields, words):
    response = _create(as_role("admin"), **fields)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert words in html and 'id="new-token"' not in html
    assert _count(org.app) == 0


def test_admin_revokes_a_token(as_role, org, client):
    admin = as_role("admin")
    token = _token_in(_create(admin).get_data(as_text=True))
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(ELIGIBILITY, headers=headers).status_code == 200
    with org.app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    response = admin.post(f"/admin/tokens/{token_id}/revoke", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Token routing revoked." in html and 'class="tag">revoked' in html
    assert client.get(ELIGIBILITY, headers=headers).status_code == 401
    again = admin.post(f"/admin/tokens/{token_id}/revoke", follow_redirects=True)
    assert "Token routing was revoked already." in again.get_data(as_text=True)


def test_revoking_an_unknown_token_says_so(as_role, org):
    response = as_role("admin").post("/admin/tokens/999/revoke",
                                     headers={"Referer": "/admin/tokens"}, follow_redirects=True)
    assert "no API token with id 999" in response.get_data(as_text=True)


# --- command line -----------------------------------------------------------------------------


def test_tokens_list_and_revoke_commands(runner, org, client):
    token = runner.invoke(args=["tokens", "create", "--email", "router@example.com",
                                "--name", "routing"]).output.strip()
    headers = {"Authorization": f"Bearer {token}"}
    client.get(ELIGIBILITY, headers=headers)
    listed = runner.invoke(args=["tokens", "list"])
    assert listed.exit_code == 0
    header, line = listed.output.splitlines()
    assert header.split("\t") == ["id", "state", "name", "prefix", "user", "created",
                                  "last_used", "expires"]
    token_id, state, name, prefix, user, _created, last_used, expires = line.split("\t")
    assert (state, name, prefix, user, expires) == ("active", "routing", token[:10],
                                                    "router@example.com", "-")
    assert last_used != "-" and token not in listed.output
    revoked = runner.invoke(args=["tokens", "revoke", "--id", token_id])
    assert revoked.exit_code == 0
    assert revoked.output.strip() == f"revoked token {token_id} (routing, router@example.com)"
    assert client.get(ELIGIBILITY, headers=headers).status_code == 401
    assert "\trevoked\t" in runner.invoke(args=["tokens", "list"]).output
    again = runner.invoke(args=["tokens", "revoke", "--id", token_id])
    assert again.exit_code == 0 and "was already revoked" in again.output


@pytest.mark.parametrize(("args", "message"), [
    (["--id", "999"], "no API token with id 999"),
    (["--id", "seven"], "'seven' is not a valid integer"),
    ([], "Missing option '--id'"),
])
def test_tokens_revoke_refuses_bad_ids(runner, org, args, message):
    result = runner.invoke(args=["tokens", "revoke", *args])
    assert result.exit_code != 0 and message in result.output
