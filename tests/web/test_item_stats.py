"""Item statistics through the API and the trainer's page, on attempts played through the
real attempt service (as the demo does): numbers, scope, first attempts, bounded SQL, CSV."""

from __future__ import annotations

import csv
import io
import math
import statistics
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain import item_analysis
from app.models import Answer, Attempt, AttemptItem, Item, User, utcnow
from app.services.accounts.accounts import create_user
from app.services.certification import attempts
from tests.conftest import PASSWORD

SLUG = "stats-fees"
FACTS = ("f-fee", "f-notice", "f-plan")
ASKED = {"f-fee": "f-fee-1", "f-notice": "f-notice-1", "f-plan": "f-plan-1"}


def bulletin(slug: str = SLUG, facts: tuple[str, ...] = FACTS) -> str:
    lines = {
        "f-fee": "- **Monthly fee** {#f-fee type=money}: 30,000 won (was: 25,000 won)",
        "f-notice": "- **Cancellation notice** {#f-notice type=duration}: 14 days (was: 30 days)",
        "f-plan": "- **Plan name** {#f-plan type=text}: WiBro Max (not: WiBro Mini; WiBro Lite)",
    }
    return (f"---\nid: {slug}\ntitle: WiBro Max fees from March\nlang: en\neffective: 2030-03-01\n"
            "skills: [wifi]\ngate: immediate\n---\nFrom 1 March the ==monthly fee== of the "
            "==WiBro Max== plan is 30,000 won.\n\n## Facts\n"
            + "\n".join(lines[f] for f in facts) + "\n")


def publish(org, slug: str = SLUG, facts: tuple[str, ...] = FACTS, stem: str | None = None):
    """Publish with exactly one approved item per fact (the first choice item), so every
    attempt asks the same items; ``stem`` replaces the first item's question."""
    client, headers = org.app.test_client(), org.headers("trainer@example.com")
    created = client.post("/api/v1/bulletins", json={"source": bulletin(slug, facts)},
                          headers=headers)
    assert created.status_code == 201, created.json
    for fact in facts:
        body = {"status": "approved", **({"stem": stem} if stem and fact == facts[0] else {})}
        reviewed = client.put(f"/api/v1/bulletins/{slug}/items/{ASKED[fact]}", json=body,
                              headers=headers)
        assert reviewed.status_code == 200, reviewed.json
    published = client.post(f"/api/v1/bulletins/{slug}/publish", json={"change": "material"},
                            headers=headers)
    assert published.status_code == 200, published.json


def agents(org, team: str, count: int, prefix: str) -> list[str]:
    emails = [f"{prefix}{n}@example.com" for n in range(1, count + 1)]
    with org.app.app_context(), unit_of_work():
        for email in emails:
            create_user(email=email, name=email.split("@")[0], role="agent", teams=[team],
                        skills=["wifi"], password=PASSWORD)
    return emails


def play(org, email: str, marks, slug: str = SLUG, at=None, submit: bool = True) -> None:
    """Sit one attempt: per fact "R" (right), "W1"/"W2" (first/second wrong option, the old
    value first), None (left blank)."""
    at = at or utcnow() - timedelta(days=1)
    with org.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        attempt = attempts.start(user, slug, at=at)
        for entry in attempt.items:
            item = db.session.get(Item, entry.item_id)
            choice = dict(zip(FACTS, marks, strict=False))[item.fact.key]
            if choice is not None:
                wrong = [o.id for o in sorted((o for o in item.options if not o.correct),
                                              key=lambda o: o.source != "old")]
                option = (next(o.id for o in item.options if o.correct) if choice == "R"
                          else wrong[int(choice[1]) - 1])
                attempts.save_answer(user, attempt.id, item.id, option, at=at)
        if submit:
            attempts.submit(user, attempt.id, at=at + timedelta(minutes=2))


# The unit tests' hand-worked fixture, played by five agents of wibro_care (the manager's team):
# facility 60/60/40 %, discrimination 64.55/0/32.73 %, efficiency 100/0/37.5 %, alpha 6/13.
CARE = [("R", "R", "R"), ("R", "R", "W1"), ("R", "W1", "R"), ("W1", "R", "W2"),
        (None, "W1", "W1")]
WIRED = [("R", "R", "R"), ("W1", "R", "R"), ("R", "W1", "W1")]


def scores(marks) -> list[int]:
    return [int(m == "R") for m in marks]


@pytest.fixture
def played(org):
    publish(org)
    care, wired = agents(org, "wibro_care", 5, "care"), agents(org, "wired_care", 3, "wired")
    for email, marks in zip(care + wired, CARE + WIRED, strict=True):
        play(org, email, marks)
    return {"care": care, "wired": wired}


def report(client, org, email: str, query: str = f"bulletin={SLUG}", status: int = 200):
    response = client.get(f"/api/v1/reports/items?{query}", headers=org.headers(email))
    assert response.status_code == status, response.get_data(as_text=True)
    return response.json


def manager(org, email: str, teams: list[str]) -> str:
    with org.app.app_context(), unit_of_work():
        create_user(email=email, name="Manager", role="manager", teams=teams, password=PASSWORD)
    return email


# --- the numbers ----------------------------------------------------------------------------


def test_manager_sees_the_hand_worked_numbers_of_their_team(client, org, played):
    doc = report(client, org, "manager@example.com")  # manages wibro_care only
    assert (doc["bulletin"], doc["version"], doc["attempts"]) == (SLUG, 1, 5)
    assert doc["quiz"] == {"mean": 53.33, "median": 66.67, "sd": 38.01, "alpha": 0.4615}
    rows = {i["id"]: i for i in doc["items"]}
    assert list(rows) == ["f-fee-1", "f-notice-1", "f-plan-1"]
    expected = {"f-fee-1": (60.0, 54.77, 64.55, 100.0), "f-notice-1": (60.0, 54.77, 0.0, 0.0),
                "f-plan-1": (40.0, 54.77, 32.73, 37.5)}
    for key, numbers in expected.items():
        row = rows[key]
        assert (row["facility"], row["sd"], row["discrimination"], row["efficiency"]) == numbers
        assert row["n"] == 5 and row["fact"] == key.rsplit("-", 1)[0] and row["kind"] == "choice"
    fee = rows["f-fee-1"]
    shares = {o["text"]: o["share"] for o in fee["options"]}
    assert shares == {"30,000 won": 0.6, "25,000 won": 0.2, "27,000 won": 0.0, "33,000 won": 0.0}
    assert fee["unanswered"] == 0.2
    assert {(o["text"], o["correct"], o["source"]) for o in fee["options"]} >= {
        ("30,000 won", True, None), ("25,000 won", False, "old")}
    codes = [(f["code"], f["option"]) for f in fee["flags"]]
    weak = {o["id"] for o in fee["options"] if o["share"] == 0.0}
    assert codes[:2] == [("weak_distractor", o) for o in sorted(weak, key=[
        o["id"] for o in fee["options"]].index)]
    assert codes[2] == ("small_sample", None)
    # f-notice-1 offers 3 wrong options; only "30 days" (the old value) was ever chosen
    assert [f["code"] for f in rows["f-notice-1"]["flags"]] == [
        "low_efficiency", "weak_distractor", "weak_distractor", "small_sample"]
    assert {w["code"] for w in doc["warnings"]} == {"small_sample", "team_scope"}
    assert "wibro_care" in next(w["message"] for w in doc["warnings"]
                                if w["code"] == "team_scope")


def test_trainer_counts_every_team_and_matches_the_statistics_module(client, org, played):
    doc = report(client, org, "trainer@example.com")
    everyone = CARE + WIRED
    assert doc["attempts"] == 8
    totals = [sum(scores(m)) for m in everyone]
    assert doc["quiz"]["mean"] == round(statistics.mean(100 * t / 3 for t in totals), 2)
    assert doc["quiz"]["median"] == round(statistics.median(100 * t / 3 for t in totals), 2)
    assert doc["quiz"]["sd"] == round(statistics.stdev(100 * t / 3 for t in totals), 2)
    items = [[scores(m)[n] for m in everyone] for n in range(3)]
    alpha = 1.5 * (1 - sum(statistics.variance(i) for i in items) / statistics.variance(totals))
    assert doc["quiz"]["alpha"] == round(alpha, 4)
    for n, row in enumerate(doc["items"]):
        x = items[n]
        rest = [t - v for t, v in zip(totals, x, strict=True)]
        assert row["n"] == 8
        assert row["facility"] == round(100 * statistics.mean(x), 2)
        assert row["sd"] == round(100 * statistics.stdev(x), 2)
        assert row["discrimination"] == round(100 * statistics.correlation(x, rest), 2)
    assert [w["code"] for w in doc["warnings"]] == ["small_sample"]


def test_sql_tallies_equal_the_domain_on_raw_answers(client, org, played):
    play(org, played["care"][4], ("R", "R", "R"), at=utcnow() - timedelta(hours=2))  # a retake
    doc = report(client, org, "admin@example.com", f"bulletin={SLUG}&attempts=all")
    with org.app.app_context():  # the slow way: every answer row, then the domain's tally()
        rows = db.session.execute(
            select(AttemptItem.attempt_id, Item.id, Item.fact_id, Answer.option_id,
                   Answer.correct)
            .join(Item, Item.id == AttemptItem.item_id)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .outerjoin(Answer, (Answer.attempt_id == AttemptItem.attempt_id)
                       & (Answer.item_id == AttemptItem.item_id))
            .where(Attempt.status == "submitted")).all()
        by_attempt: dict[int, list] = {}
        for attempt_id, item_id, fact_id, option_id, correct in rows:
            by_attempt.setdefault(attempt_id, []).append(
                item_analysis.Response(item_id, fact_id, option_id, bool(correct)))
        keys = [item_analysis.ItemKey(i.id, tuple(item_analysis.OptionKey(o.id, o.correct)
                                                  for o in i.options))
                for i in db.session.scalars(select(Item).where(Item.status == "approved")
                                            .order_by(Item.position))]
        expected = item_analysis.analyse(keys, item_analysis.tally(list(by_attempt.values())))
    assert doc["attempts"] == expected.quiz.attempts == 9
    assert doc["quiz"]["alpha"] == round(expected.quiz.alpha, 4)
    for row, stats in zip(doc["items"], expected.items, strict=True):
        assert (row["n"], row["facility"], row["discrimination"], row["efficiency"]) == (
            stats.n, round(stats.facility, 2), round(stats.discrimination, 2),
            round(stats.efficiency, 2))
        assert {o["id"]: o["share"] for o in row["options"]} == {
            k: round(v, 4) for k, v in stats.shares.items()}


# --- which attempts count ---------------------------------------------------------------------


def test_first_attempts_by_default_all_on_request(client, org, played):
    failed = played["care"][4]  # CARE[4] failed; a retake an hour later passes
    play(org, failed, ("R", "R", "R"), at=utcnow() - timedelta(hours=2))
    play(org, played["care"][3], ("R", "R", "R"), at=utcnow() - timedelta(hours=1),
         submit=False)  # a retake still in progress: not counted
    first = report(client, org, "manager@example.com")
    assert first["attempts"] == 5 and first["quiz"]["mean"] == 53.33
    every = report(client, org, "manager@example.com", f"bulletin={SLUG}&attempts=all")
    assert every["attempts"] == 6
    assert every["quiz"]["mean"] == round((3 + 2 + 2 + 1 + 0 + 3) / 18 * 100, 2)
    assert "all_attempts" in {w["code"] for w in every["warnings"]}
    assert "all_attempts" not in {w["code"] for w in first["warnings"]}


def test_managers_count_only_their_teams_agents(client, org, played):
    wired = report(client, org, manager(org, "wired-boss@example.com", ["wired_care"]))
    assert wired["attempts"] == 3
    fee = wired["items"][0]
    assert fee["facility"] == round(100 * 2 / 3, 2)  # WIRED: R, W1, R
    both = report(client, org, manager(org, "floor-boss@example.com",
                                       ["wibro_care", "wired_care"]))
    assert both["attempts"] == 8
    nobody = report(client, org, manager(org, "new-boss@example.com", []))
    assert nobody["attempts"] == 0 and nobody["quiz"]["mean"] is None
    assert all(i["n"] == 0 and i["facility"] is None for i in nobody["items"])
    assert {"no_attempts", "team_scope"} <= {w["code"] for w in nobody["warnings"]}


# --- bad requests -----------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "status", "code", "field"), [
    ("", 400, "missing_field", "bulletin"),
    ("bulletin=", 400, "missing_field", "bulletin"),
    ("bulletin=no-such-thing", 404, "not_found", "bulletin"),
    (f"bulletin={SLUG}&attempts=last", 400, "invalid", "attempts"),
], ids=["missing", "empty", "unknown", "bad-attempts"])
def test_bad_requests_name_the_parameter(client, org, query, status, code, field):
    publish(org)
    error = report(client, org, "trainer@example.com", query, status)["error"]
    assert error["code"] == code and error["details"] == {"field": field}
    assert field in error["message"] or "no-such-thing" in error["message"]


def test_a_draft_only_bulletin_has_no_statistics(client, org):
    created = client.post("/api/v1/bulletins", json={"source": bulletin("draft-only")},
                          headers=org.headers("trainer@example.com"))
    assert created.status_code == 201
    error = report(client, org, "trainer@example.com", "bulletin=draft-only", 404)["error"]
    assert error["message"] == "no published version 'draft-only'"


def test_agents_may_not_read_item_statistics(client, org, played):
    error = report(client, org, "agent@example.com", status=403)["error"]
    assert error["code"] == "forbidden"


def test_openapi_describes_the_report(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/reports/items"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["bulletin"]["required"] is True
    assert params["attempts"]["schema"]["enum"] == ["first", "all"]


# --- bounded SQL --------------------------------------------------------------------------------


def _statements(client, org, query: str) -> int:
    headers = org.headers("manager@example.com")
    client.get(f"/api/v1/reports/items?{query}", headers=headers)  # token's first use recorded
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with org.app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(f"/api/v1/reports/items?{query}", headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, response.json
    return len(seen)


def test_statement_count_does_not_grow_with_items_or_attempts(client, org, played):
    publish(org, "stats-small", ("f-fee",))
    play(org, played["care"][0], ("R",), slug="stats-small")
    small = _statements(client, org, "bulletin=stats-small")
    for email, marks in zip(agents(org, "wibro_care", 6, "more"), CARE + CARE[:1], strict=True):
        play(org, email, marks)
    large = _statements(client, org, f"bulletin={SLUG}")  # 3 items, 11 attempts in scope
    every = _statements(client, org, f"bulletin={SLUG}&attempts=all")
    assert small == large == every
    assert large <= 12


# --- the trainer's page and CSV -----------------------------------------------------------------


def test_bulletin_page_links_to_the_statistics(as_role, org, played):
    page = as_role("trainer").get(f"/trainer/bulletins/{SLUG}").get_data(as_text=True)
    assert f'href="/trainer/bulletins/{SLUG}/statistics"' in page


def test_statistics_page_shows_numbers_and_flags_in_text(as_role, org, played):
    response = as_role("trainer").get(f"/trainer/bulletins/{SLUG}/statistics")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # 8 attempts; f-fee-1 was answered right by 5 (CARE + WIRED): facility 62.5 %;
    # mean (3+2+2+1+0+3+2+1) / 24 = 58.33 %
    for text in ("f-fee-1", "f-notice-1", "f-plan-1", "62.5 %", "58.3 %", "25,000 won",
                 "does not distract: “27,000 won”", "Only 8 attempts asked this item",
                 "Only 8 attempts: at least 30", "Include retakes", "statistics.csv"):
        assert text in page, text
    assert '<th scope="col">' in page


@pytest.mark.parametrize(("flag", "words"), [
    ({"code": "negative_discrimination", "option": None, "message": ""},
     "Negative discrimination: agents who did better"),
    ({"code": "low_efficiency", "option": None, "message": ""},
     "Low discriminative efficiency (under 15 %)"),
    ({"code": "weak_distractor", "option": 7, "message": ""},
     "chosen by under 5 % of agents, so it does not distract: “yes”"),
    ({"code": "small_sample", "option": None, "message": ""},
     "Only 3 attempts asked this item: at least 30"),
], ids=lambda v: v["code"] if isinstance(v, dict) else None)
def test_flags_read_as_text(app, flag, words):
    from app.web.trainer.statistics import flag_text

    item = {"n": 3, "options": [{"id": 7, "text": "yes"}]}
    with app.test_request_context():
        assert words in flag_text(flag, item)


@pytest.mark.parametrize(("code", "words"), [
    ("small_sample", "Only 12 attempts: at least 30 are needed"),
    ("no_attempts", "No graded attempt to analyse yet."),
    ("all_attempts", "Retakes are included"),
    ("alpha_unavailable", "alpha needs two facts"),  # the API's own message
])
def test_warnings_read_as_text(app, code, words):
    from app.web.trainer.statistics import flag_text

    with app.test_request_context():
        text = flag_text({"code": code, "option": None, "message": "alpha needs two facts"},
                         None, 12)
    assert words in text


def test_statistics_page_with_all_attempts(as_role, org, played):
    page = as_role("trainer").get(f"/trainer/bulletins/{SLUG}/statistics?attempts=all")
    assert "First attempts only" in page.get_data(as_text=True)


def test_csv_export_is_the_same_table_and_safe(as_role, org):
    publish(org, stem="=HYPERLINK(\"http://x.example\") What is the monthly fee?")
    emails = agents(org, "wibro_care", 5, "care")
    for email, marks in zip(emails, CARE, strict=True):
        play(org, email, marks)
    response = as_role("trainer").get(f"/trainer/bulletins/{SLUG}/statistics.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{SLUG}-v1-item-statistics-first.csv"' in \
        response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["item"] for r in rows] == ["f-fee-1", "f-notice-1", "f-plan-1"]
    fee = rows[0]
    assert fee["stem"].startswith("'=HYPERLINK(")  # neutralised
    assert (fee["n"], fee["facility_pct"], fee["discrimination_pct"]) == ("5", "60.0", "64.55")
    assert fee["unanswered_pct"] == "20.0"
    assert "30,000 won [correct] 60.0%" in fee["options"]
    assert "25,000 won [old] 20.0%" in fee["options"]
    assert "does not distract" in fee["flags"]
    assert math.isclose(float(rows[2]["efficiency_pct"]), 37.5)


def test_statistics_page_of_an_unknown_bulletin_says_so(as_role, org):
    client = as_role("trainer")
    response = client.get("/trainer/bulletins/nothing-here/statistics", follow_redirects=True)
    assert "no published version &#39;nothing-here&#39;" in response.get_data(as_text=True)
