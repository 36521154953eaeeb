"""CSV exports of every manager view: the right columns, and never a live formula."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import User
from tests.conftest import publish_wifi
from tests.web.manager_support import SLUG, add_agent, read_csv, sit

HOSTILE_NAMES = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-3+4", "@SUM(A1)",
                 "\tTabbed", "\rReturned"]

EXPORTS = {
    "/manager/readiness.csv": ["team", "bulletin", "version", "title", "gate_at", "countdown",
                               "assigned", "certified", "share"],
    "/manager/at-risk.csv": ["agent", "external_id", "team", "bulletin", "version", "title",
                             "due_at", "state", "managers"],
    "/manager/staffing.csv": ["skill", "holders", "cleared_now", "next_gate",
                              "cleared_at_next_gate", "blocked_by_next_gate"],
    f"/manager/gaps.csv?bulletin={SLUG}": [
        "bulletin", "version", "team", "fact", "label", "answered", "correct", "share",
        "top_wrong", "top_wrong_source", "top_wrong_share", "team_stale_rate"],
    "/manager/teams/wibro_care.csv": ["agent", "external_id", "team", "bulletin", "version",
                                      "state", "due_at", "attempts", "best_score"],
    "/manager/agents/A1.csv": ["attempt", "bulletin", "version", "started_at", "submitted_at",
                               "status", "score", "passed", "question", "fact", "stem",
                               "chosen", "chosen_source", "correct", "key"],
    "/manager/trend.csv": ["team", "week_end", "assigned", "certified", "share_certified",
                           "answered", "correct", "share_correct"],
}


@pytest.fixture
def hostile(app, org):
    publish_wifi(org)
    for n, name in enumerate(HOSTILE_NAMES):
        add_agent(app, f"hostile{n}@example.com", "wibro_care", ("wifi",), f"H{n}")
        with app.app_context(), unit_of_work():  # as a directory sync might store it, unstripped
            db.session.execute(update(User).where(User.external_id == f"H{n}").values(name=name))
    sit(app, "agent@example.com", SLUG, "old")
    return org


@pytest.mark.parametrize("url", sorted(EXPORTS))
def test_every_view_exports_csv(hostile, as_role, url):
    response = as_role("manager").get(url)
    rows = read_csv(response)
    assert list(rows[0]) == EXPORTS[url]
    assert response.headers["Content-Disposition"].startswith('attachment; filename="')


@pytest.mark.parametrize("url", ["/manager/at-risk.csv", "/manager/teams/wibro_care.csv"])
def test_formulas_are_neutralised(hostile, as_role, url):
    rows = read_csv(as_role("manager").get(url))
    names = {row["agent"] for row in rows}
    for hostile_name in HOSTILE_NAMES:
        assert "'" + hostile_name in names, hostile_name
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_numbers_stay_numbers(hostile, as_role):
    rows = read_csv(as_role("manager").get("/manager/readiness.csv"))
    (cell,) = rows
    assert (cell["assigned"], cell["certified"], cell["share"]) == ("7", "0", "0.0")


# --- times in the organisation's time zone, with the offset (docs/reports.md) ---------------

TIME_COLUMNS = {
    "/manager/readiness.csv": ["gate_at"],
    "/manager/at-risk.csv": ["due_at"],
    "/manager/teams/wibro_care.csv": ["due_at"],
    "/manager/agents/A1.csv": ["started_at", "submitted_at"],
    "/manager/trend.csv": ["week_end"],
    f"/manager/bulletins/{SLUG}/receipts.csv": ["due_at"],
}
SEOUL_TIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+09:00"


@pytest.mark.parametrize("url", sorted(TIME_COLUMNS))
def test_every_time_is_local_with_its_offset(hostile, as_role, url):
    import re

    rows = read_csv(as_role("manager").get(url))
    values = [row[column] for row in rows for column in TIME_COLUMNS[url] if row[column]]
    assert values, url
    assert all(re.fullmatch(SEOUL_TIME, value) for value in values), values[:3]


def test_the_gate_reads_as_on_the_board(hostile, as_role):
    (row,) = [r for r in read_csv(as_role("manager").get("/manager/readiness.csv"))
              if r["bulletin"] == SLUG]
    assert row["gate_at"] == "2010-08-30T00:00:00+09:00"  # the board's "gate Aug 30, 2010"


def test_another_time_zone_gives_its_own_offset(hostile, app, as_role):
    app.config["ONEVOICE_TIMEZONE"] = "America/New_York"
    (row,) = [r for r in read_csv(as_role("manager").get("/manager/at-risk.csv"))
              if r["external_id"] == "A1"]
    assert row["due_at"] == "2010-08-29T11:00:00-04:00"  # the same instant, New York summer
