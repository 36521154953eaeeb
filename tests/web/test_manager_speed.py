"""Every manager page, export and report answers in a fixed number of SQL statements.

The same requests are counted with 2 agents and again with 20 (with attempts and answers):
the number of statements must not grow with the number of agents.
"""

from __future__ import annotations

from tests.web.manager_support import (
    ALL_TEAMS,
    SLUG,
    add_agent,
    counting_statements,
    publish_choice_items,
    sit,
)

PAGES = [
    "/manager/", "/manager/?skill=wifi", f"/manager/gaps?bulletin={SLUG}", "/manager/gaps",
    "/manager/teams/wibro_care", "/manager/agents/A1", "/manager/trend",
    f"/manager/trend?bulletin={SLUG}&skill=wifi", "/manager/readiness.csv",
    "/manager/at-risk.csv", "/manager/staffing.csv", f"/manager/gaps.csv?bulletin={SLUG}",
    "/manager/teams/wibro_care.csv", "/manager/agents/A1.csv", "/manager/trend.csv",
]
API = ["/api/v1/reports/readiness", f"/api/v1/reports/gaps?bulletin={SLUG}"]
MOST = 25  # statements any one of these requests may run, whatever the data


def _add_agents(app, first: int, last: int) -> None:
    for n in range(first, last):
        team = "wibro_care" if n % 2 else "wired_care"
        email = f"load{n}@example.com"
        add_agent(app, email, team, ("wibro", "wifi"), f"L{n}", name=f"Load {n}")
        sit(app, email, SLUG, "correct" if n % 3 else "old")


def _counts(app, client, headers) -> dict[str, int]:
    counts = {}
    for url in PAGES + API:
        with counting_statements(app) as statements:
            response = client.get(url, headers=headers if url.startswith("/api/") else {})
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
        counts[url] = len(statements)
    return counts


def test_statement_counts_do_not_grow_with_agents(app, org, as_role):
    publish_choice_items(org, ALL_TEAMS)
    sit(app, "agent@example.com", SLUG, "old")
    _add_agents(app, 0, 1)  # 2 agents with attempts (+ A2 assigned)
    client = as_role("admin")
    headers = org.headers("admin@example.com")
    _counts(app, client, headers)  # warm up (token last-used stamp, first loads)
    few = _counts(app, client, headers)

    _add_agents(app, 1, 19)  # 20 agents with attempts
    many = _counts(app, client, headers)
    assert many == few
    assert max(few.values()) <= MOST, few


def test_a_manager_runs_the_same_number_of_statements(app, org, as_role):
    publish_choice_items(org, ALL_TEAMS)
    _add_agents(app, 0, 2)
    client = as_role("manager")
    headers = org.headers("manager@example.com")
    _counts(app, client, headers)
    few = _counts(app, client, headers)
    _add_agents(app, 2, 20)
    assert _counts(app, client, headers) == few


def test_statement_counts_do_not_grow_with_teams(app, org, as_role):
    """An admin's board, gaps view and drill-down over 4 teams, then over 10: no query per
    team (the board and the gaps view read one row per team and bulletin from the
    aggregates, filtered by team in the statement)."""
    from app.core.database import unit_of_work
    from app.services.accounts.directory import create_team

    every_team = ALL_TEAMS.replace("teams: [wibro_care, wifi_support, wired_care]", "teams: []")
    publish_choice_items(org, every_team)
    _add_agents(app, 0, 2)
    client = as_role("admin")
    headers = org.headers("admin@example.com")
    _counts(app, client, headers)
    few = _counts(app, client, headers)
    for n in range(6):
        with app.app_context(), unit_of_work():
            create_team(f"extra_{n}", f"Extra {n}")
        add_agent(app, f"extra{n}@example.com", f"extra_{n}", ("wibro", "wifi"), f"X{n}")
        sit(app, f"extra{n}@example.com", SLUG, "correct" if n % 2 else "old")
    assert _counts(app, client, headers) == few


def test_statement_counts_do_not_grow_with_bulletins(app, org, as_role):
    """The board's columns are changes: 1 published bulletin, then 5: no query per column
    (the language split looks up every column's translations in one query)."""
    publish_choice_items(org, ALL_TEAMS)
    _add_agents(app, 0, 2)
    client = as_role("admin")
    headers = org.headers("admin@example.com")
    _counts(app, client, headers)
    few = _counts(app, client, headers)
    for n in range(4):
        publish_choice_items(org, ALL_TEAMS.replace(f"id: {SLUG}", f"id: {SLUG}-{n}", 1))
    assert _counts(app, client, headers) == few
