"""People on the web: list, search and filter, create every role, edit, change roles
(audited), deactivate and reactivate (agents through the directory: eligibility and the
change feed follow), tokens issued from a person's page (an admin's needs confirming)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.models import ApiToken, AuditEntry, EligibilityEvent, User
from tests.conftest import login, publish_wifi

NEW = "/admin/people/new"


def person_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def user(app, email: str) -> User:
    with app.app_context():
        found = db.session.scalar(select(User).where(User.email == email))
        found.managed, found.skills  # noqa: B018  (loaded before the session ends)
        return found


def audit(app, email: str) -> list[tuple]:
    with app.app_context():
        subject = person_id(app, email)
        return [(e.action, e.details) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.subject_id == subject).order_by(AuditEntry.id))]


def text(response) -> str:
    return response.get_data(as_text=True)


def test_list_searches_filters_and_pages(as_role, app, org):
    admin = as_role("admin")
    everyone = text(admin.get("/admin/people"))
    assert "6 people found." in everyone and "router@example.com" in everyone
    found = text(admin.get("/admin/people?q=AGENT2"))
    assert "agent2@example.com" in found and "trainer@example.com" not in found
    agents = text(admin.get("/admin/people?role=agent"))
    assert "2 people found." in agents
    team = text(admin.get("/admin/people?team=wibro_care"))  # its agent and its manager
    assert "agent@example.com" in team and "manager@example.com" in team
    assert "agent2@example.com" not in team
    for n in range(55):
        admin.post(NEW, data={"role": "trainer", "name": f"Zed {n:02}",
                              "email": f"zed{n}@example.com", "locale": ""})
    first = text(admin.get("/admin/people?q=zed"))
    assert "55 people found." in first and "page 1 of 2" in first and "Zed 49" in first
    second = text(admin.get("/admin/people?q=zed&page=2"))
    assert "Zed 54" in second and "Zed 00" not in second
    admin.post(f"/admin/people/{person_id(app, 'zed0@example.com')}/active", data={"active": "0"})
    gone = text(admin.get("/admin/people?active=no"))
    assert "1 people found." in gone and "zed0@example.com" in gone
    assert admin.get("/admin/people?page=99999999999999999&role=nope").status_code == 200


@pytest.mark.parametrize(("fields", "check"), [
    ({"role": "trainer", "name": "Tess", "email": "Tess@Example.com"},
     lambda u: u.role == "trainer" and u.email == "tess@example.com"),
    ({"role": "manager", "name": "Mo", "email": "mo@example.com",
      "managed": ["wibro_care", "wired_care"]},
     lambda u: [t.code for t in u.managed] == ["wibro_care", "wired_care"]),
    ({"role": "admin", "name": "Ada", "email": "ada@example.com", "locale": "ko"},
     lambda u: u.role == "admin" and u.locale == "ko"),
    ({"role": "integration", "name": "Genesys", "email": "genesys@example.com",
      "external_id": "genesys-cloud"},
     lambda u: u.role == "integration" and u.external_id == "genesys-cloud"),
])
def test_admin_creates_staff_of_every_role(as_role, app, org, fields, check):
    response = as_role("admin").post(NEW, data={"locale": "", **fields})
    assert response.status_code == 302, text(response)
    created = user(app, fields["email"].lower())
    assert check(created) and created.active and created.password_hash is None
    assert audit(app, created.email)[0][0] == "person_created"


def test_an_agent_is_created_through_the_directory(as_role, app, org):
    publish_wifi(org)
    with app.app_context():
        before = db.session.scalar(select(db.func.max(EligibilityEvent.seq)))
    response = as_role("admin").post(NEW, data={
        "role": "agent", "name": "Ann", "email": "ann@example.com", "external_id": "A7",
        "team": "wibro_care", "skills": ["billing", "wifi"], "locale": ""})
    assert response.status_code == 302, text(response)
    ann = user(app, "ann@example.com")
    assert ann.team.code == "wibro_care" and sorted(ann.skill_codes) == ["billing", "wifi"]
    with app.app_context():
        new_events = db.session.execute(select(
            EligibilityEvent.skill, EligibilityEvent.cleared, EligibilityEvent.reason).where(
            EligibilityEvent.user_id == ann.id, EligibilityEvent.seq > before)).all()
    assert [tuple(e) for e in new_events] == [("billing", True, "agent_created")]  # the feed
    eligibility = as_role("admin").get("/api/v1/agents/A7/eligibility",
                                       headers=org.headers("router@example.com"))
    assert eligibility.status_code == 200
    assert [b["skill"] for b in eligibility.json["blocked"]] == ["wifi"]  # its assignment


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"role": "agent", "name": "Ann", "email": "ann@example.com", "team": "wibro_care"},
     "External id", "needs an external id"),
    ({"role": "agent", "name": "Ann", "email": "ann@example.com", "external_id": "A7"},
     "Team", "needs a team"),
    ({"role": "trainer", "name": "Tess", "email": "tess"}, "Email", "is not an e-mail"),
    ({"role": "trainer", "name": "", "email": "tess@example.com"}, "Name", "required"),
    ({"role": "trainer", "name": "Tess", "email": "agent@example.com"}, "Email",
     "another account has the e-mail"),
    ({"role": "agent", "name": "Ann", "email": "ann@example.com", "external_id": "A1",
      "team": "wibro_care"}, "External id", "another account has the external id"),
    ({"role": "agent", "name": "Ann", "email": "ann@example.com", "external_id": "A7",
      "team": "no_such_team"}, "Team", "unknown team"),
    ({"role": "manager", "name": "Mo", "email": "mo@example.com", "managed": ["nope"]},
     "Teams managed", "unknown team"),
    ({"role": "wizard", "name": "Mo", "email": "mo@example.com"}, "Role", ""),
])
def test_bad_person_forms_name_the_field_and_create_nothing(as_role, app, org, fields, field,
                                                              words):
    response = as_role("admin").post(NEW, data={"locale": "", **fields})
    assert response.status_code == 400
    page = text(response)
    assert "The person was not created" in page
    assert '<p class="error"' in page and f"{field}: " in page and words in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == 6


def test_staff_role_change_is_audited(as_role, app, org):
    admin = as_role("admin")
    trainer = person_id(app, "trainer@example.com")
    response = admin.post(f"/admin/people/{trainer}", data={
        "role": "manager", "name": "Trainer", "email": "trainer@example.com",
        "managed": ["wired_care"], "locale": ""})
    assert response.status_code == 302, text(response)
    assert user(app, "trainer@example.com").role == "manager"
    assert ("role_changed", {"old": "trainer", "new": "manager"}) in audit(
        app, "trainer@example.com")
    page = text(admin.get(f"/admin/people/{trainer}"))
    assert "role changed: Trainer → Manager · by Admin" in page


def test_an_agent_stays_an_agent_and_admins_are_not_left_without_one(as_role, app, org):
    admin = as_role("admin")
    agent = person_id(app, "agent@example.com")
    refused = admin.post(f"/admin/people/{agent}", data={
        "role": "trainer", "name": "Agent", "email": "agent@example.com", "locale": ""})
    assert refused.status_code == 400 and "an agent&#39;s role cannot be changed" in text(refused)
    assert user(app, "agent@example.com").role == "agent"
    own = person_id(app, "admin@example.com")
    refused = admin.post(f"/admin/people/{own}", data={
        "role": "trainer", "name": "Admin", "email": "admin@example.com", "locale": ""})
    assert "you cannot take away your own admin role" in text(refused)
    refused = admin.post(f"/admin/people/{own}/active", data={"active": "0"},
                         follow_redirects=True)
    assert "you cannot deactivate your own account" in text(refused)
    assert user(app, "admin@example.com").active and user(app, "admin@example.com").role == "admin"


def test_staff_can_become_an_agent_through_the_directory(as_role, app, org):
    integration = person_id(app, "router@example.com")
    response = as_role("admin").post(f"/admin/people/{integration}", data={
        "role": "agent", "name": "Router", "email": "router@example.com", "external_id": "A8",
        "team": "wired_care", "skills": ["wired"], "locale": ""})
    assert response.status_code == 302, text(response)
    now = user(app, "router@example.com")
    assert (now.role, now.external_id, now.team.code, sorted(now.skill_codes)) == (
        "agent", "A8", "wired_care", ["wired"])


def test_agent_edit_and_deactivation_follow_the_directory(as_role, app, org):
    publish_wifi(org)
    admin = as_role("admin")
    agent = person_id(app, "agent@example.com")
    response = admin.post(f"/admin/people/{agent}", data={
        "role": "agent", "name": "Agent One", "email": "agent@example.com",
        "external_id": "A1", "team": "wibro_care", "skills": ["billing"], "locale": "ko"})
    assert response.status_code == 302, text(response)
    edited = user(app, "agent@example.com")
    assert edited.name == "Agent One" and edited.skill_codes == {"billing"}
    assert edited.locale == "ko"
    admin.post(f"/admin/people/{agent}/active", data={"active": "0"})
    assert not user(app, "agent@example.com").active
    with app.app_context():
        reasons = db.session.scalars(select(EligibilityEvent.reason).where(
            EligibilityEvent.user_id == agent)).all()
    assert "deactivated" in reasons
    assert login(app.test_client(), "agent@example.com").status_code != 302
    admin.post(f"/admin/people/{agent}/active", data={"active": "1"})
    assert user(app, "agent@example.com").active
    assert [a for a, _ in audit(app, "agent@example.com")][-2:] == ["deactivated", "reactivated"]


def test_tokens_from_a_person_page_and_admin_confirmation(as_role, app, org):
    admin = as_role("admin")
    router = person_id(app, "router@example.com")
    made = admin.post(f"/admin/people/{router}/tokens", data={"name": "routing"})
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    secret = text(made).split('id="new-token" readonly value="')[1].split('"')[0]
    ping = app.test_client().get("/api/v1/ping", headers={"Authorization": f"Bearer {secret}"})
    assert ping.status_code == 200
    own = person_id(app, "admin@example.com")
    page = text(admin.get(f"/admin/people/{own}"))
    assert "this token can do everything an admin can" in page
    refused = admin.post(f"/admin/people/{own}/tokens", data={"name": "script"})
    assert refused.status_code == 400
    assert "Confirmation: admin@example.com is an admin" in text(refused)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(ApiToken.id)).where(
            ApiToken.user_id == own)) == 0
    confirmed = admin.post(f"/admin/people/{own}/tokens",
                           data={"name": "script", "confirm_admin": "y"})
    assert confirmed.status_code == 200 and 'id="new-token"' in text(confirmed)
    assert ("token_issued", {"acts_as_admin": True, "name": "script", "token_id": 2}) in audit(
        app, "admin@example.com")


def test_the_tokens_page_also_asks_for_the_confirmation(as_role, app, org):
    admin = as_role("admin")
    refused = admin.post("/admin/tokens", data={"email": "admin@example.com", "name": "x"})
    assert refused.status_code == 400 and "is an admin" in text(refused)
    done = admin.post("/admin/tokens", data={"email": "admin@example.com", "name": "x",
                                              "confirm_admin": "y"})
    assert done.status_code == 200 and 'id="new-token"' in text(done)


def test_unknown_and_huge_person_ids_are_not_found(as_role):
    admin = as_role("admin")
    assert admin.get("/admin/people/999").status_code == 404
    assert admin.get("/admin/people/99999999999999999999999").status_code == 404


def test_forms_need_the_csrf_token(as_role, app, org):
    admin = as_role("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    trainer = person_id(app, "trainer@example.com")
    for url, data in ((NEW, {"role": "trainer", "name": "T", "email": "t@example.com"}),
                      (f"/admin/people/{trainer}", {"role": "admin", "name": "T",
                                                    "email": "trainer@example.com"}),
                      (f"/admin/people/{trainer}/active", {"active": "0"}),
                      (f"/admin/people/{trainer}/invitation", {}),
                      (f"/admin/people/{trainer}/tokens", {"name": "x"})):
        admin.post(url, data=data)
    now = user(app, "trainer@example.com")
    assert now.role == "trainer" and now.active
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == 6
        assert db.session.scalar(select(db.func.count(ApiToken.id))) == 0
        assert db.session.scalar(select(db.func.count(AuditEntry.id))) == 0


def test_the_list_reads_a_page_in_a_bounded_number_of_statements(as_role, app, org):
    from sqlalchemy import event

    admin = as_role("admin")
    for n in range(30):
        admin.post(NEW, data={"role": "manager", "name": f"Mgr {n:02}",
                              "email": f"mgr{n}@example.com", "managed": ["wibro_care"],
                              "locale": ""})
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = text(admin.get("/admin/people"))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert "Mgr 29" in page
    assert len(statements) <= 10, len(statements)


def test_korean_admin_reads_the_refusal_in_korean(as_role, app, org):
    with app.app_context():
        db.session.execute(db.update(User).where(User.email == "admin@example.com")
                           .values(locale="ko"))
        db.session.commit()
    response = as_role("admin").post(NEW, data={
        "role": "agent", "name": "Ann", "email": "ann@example.com", "team": "wibro_care",
        "locale": ""})
    assert response.status_code == 400
    page = text(response)
    assert "외부 ID: 상담사에게는 외부 ID(라우팅 시스템에서 쓰는 ID)가 필요합니다" in page
    assert "사용자를 만들지 않았습니다" in page
