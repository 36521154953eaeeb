"""The readiness board: countdowns, colour with numbers, staffing risk, agents at risk, trend."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from app.models import Team, utcnow
from app.queries.reports import at_risk, staffing
from tests.conftest import WIFI_BULLETIN, publish_wifi
from tests.web.manager_support import SLUG, add_agent, future_source, local_today, sit


def _html(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def _section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


def _teams(codes):
    from app.core.extensions import db

    return list(db.session.query(Team).filter(Team.code.in_(codes)).order_by(Team.code))


def test_board_counts_down_to_each_gate_in_local_days(as_role, org):
    publish_wifi(org)  # gated at 2010-08-30 00:00 Seoul
    publish_wifi(org, source=future_source(3))
    publish_wifi(org, source=future_source(1, slug="tomorrow-wifi"))
    publish_wifi(org, source=future_source(0, slug="today-wifi"))
    html = _section(_html(as_role("manager").get("/manager/")), "board-h")
    days = (local_today() - date(2010, 8, 30)).days
    assert f"gated {days} days ago" in html
    assert "in 3 days" in html and "in 1 day<" in html and "gated today" in html


def test_cells_carry_the_number_and_a_legend_explains_the_colours(as_role, org):
    publish_wifi(org)
    html = _html(as_role("manager").get("/manager/"))
    assert re.search(r'<td class="heat h0">0% <small>\(0/1\)</small></td>', html)
    assert 'id="band-legend"' in html and 'aria-describedby="band-legend"' in html
    assert "under 25%" in html and "75–99%" in html


def test_staffing_now_and_at_the_next_gate(org, ctx):
    publish_wifi(org, source=future_source(3))  # wifi, wibro_care only, gates in 3 days
    everyone = staffing(_teams(["wibro_care", "wired_care"]))
    wifi = next(s for s in everyone if s.skill == "wifi")
    # A1 (wibro_care) and A2 (wired_care) hold wifi; only A1 is targeted by the bulletin.
    assert (wifi.holders, wifi.cleared_now, wifi.cleared_at_next_gate, wifi.losing) == (2, 2, 1, 1)
    assert wifi.next_gate is not None and wifi.next_gate > utcnow()
    wired = next(s for s in everyone if s.skill == "wired")
    assert (wired.cleared_now, wired.next_gate, wired.cleared_at_next_gate) == (1, None, None)
    mine = {s.skill: s for s in staffing(_teams(["wibro_care"]))}
    assert set(mine) == {"wibro", "wifi"}
    assert (mine["wifi"].cleared_now, mine["wifi"].cleared_at_next_gate) == (1, 0)


def test_staffing_counts_a_pass_before_the_gate(app, org, ctx):
    publish_wifi(org, source=future_source(3))
    sit(app, "agent@example.com", "future-wifi", "correct")
    (wifi,) = [s for s in staffing(_teams(["wibro_care"])) if s.skill == "wifi"]
    assert (wifi.cleared_now, wifi.cleared_at_next_gate) == (1, 1)


def test_staffing_section_on_the_page(as_role, org):
    publish_wifi(org, source=future_source(3))
    html = _html(as_role("manager").get("/manager/"))
    section = _section(html, "staffing-h")
    assert "<th scope=\"row\">wifi</th><td>1</td><td>1</td>" in section
    assert "(1 fewer)" in section


def test_overdue_and_at_risk_agents_with_team_and_manager(app, as_role, org):
    publish_wifi(org)  # overdue for A1
    add_agent(app, "soon@example.com", "wibro_care", ("wifi",), "S1", name="Soon Agent")
    publish_wifi(org, source=future_source(2, slug="soon-wifi"))
    publish_wifi(org, source=future_source(5, slug="later-wifi"))
    manager = as_role("manager")
    html = _html(manager.get("/manager/"))
    section = _section(html, "risk-h")
    assert "Overdue" in section and "Due soon" in section
    assert "Soon Agent" in section and "Wibro Care" in section and "Manager" in section
    with app.app_context():
        rows, total = at_risk(_teams(["wibro_care"]))
        assert {(r.name, r.bulletin, r.overdue) for r in rows} == {
            ("Agent", SLUG, True), ("Soon Agent", SLUG, True), ("Agent", "soon-wifi", False),
            ("Soon Agent", "soon-wifi", False)}
        assert total == 4 and all(r.managers == ("Manager",) for r in rows)
        limited, total = at_risk(_teams(["wibro_care"]), limit=3)
        assert (len(limited), total) == (3, 4)

    sit(app, "agent@example.com", SLUG, "correct")
    with app.app_context():
        rows, _ = at_risk(_teams(["wibro_care"]))
        assert ("Agent", SLUG) not in {(r.name, r.bulletin) for r in rows}


def test_board_shows_a_trend_sparkline_with_a_table(app, as_role, org):
    publish_wifi(org)
    sit(app, "agent@example.com", SLUG, "correct")
    html = _html(as_role("manager").get("/manager/"))
    section = _section(html, "trend-h")
    svg = re.search(r"<svg.*?</svg>", section, re.DOTALL).group(0)
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and "Wibro Care" in root.get("aria-label")
    cells = re.findall(r"<td>([^<]*)</td>", section.split("Wibro Care</th>")[1].split("</tr>")[0])
    assert len(cells) == 8 and cells[-1] == "100%"  # 8 weeks, certified now


def test_board_filters_by_skill_and_bulletin(as_role, org):
    publish_wifi(org)
    publish_wifi(org, source=future_source(3))  # skills: [wifi] only
    manager = as_role("manager")
    html = _section(_html(manager.get("/manager/?skill=wibro")), "board-h")
    assert "in 3 days" not in html and "gated" in html
    html = _section(_html(manager.get("/manager/?bulletin=future-wifi")), "board-h")
    assert "in 3 days" in html and "gated " not in html
    refused = manager.get("/manager/?skill=telepathy")
    assert refused.status_code == 400
    assert "unknown call type &#39;telepathy&#39;: choose one of " in refused.get_data(as_text=True)


def test_board_shows_teams_a_page_at_a_time(app, as_role, org):
    """An admin with many teams pages through the board; the rest of the page covers all."""
    from app.core.database import unit_of_work
    from app.services.accounts.accounts import ensure_team
    from app.web.manager.board import TEAMS_PER_PAGE

    codes = [f"extra_{n:02d}" for n in range(TEAMS_PER_PAGE)]
    with app.app_context(), unit_of_work():
        for code in [*codes, "no_bulletin"]:  # no_bulletin: nothing targets it, no row
            ensure_team(code)
    for n, code in enumerate(codes):
        add_agent(app, f"extra{n}@example.com", code)
    source = WIFI_BULLETIN.replace("teams: [wibro_care, wifi_support]",
                                   f"teams: [wibro_care, {', '.join(codes)}]")
    publish_wifi(org, source=source)  # 11 teams on the board: two pages
    client = as_role("admin")
    first = _html(client.get("/manager/"))
    board = _section(first, "board-h")
    assert board.count('<th scope="row">') == TEAMS_PER_PAGE
    assert "page 1 of 2" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = _html(client.get("/manager/?page=2"))
    rows = _section(second, "board-h")
    assert rows.count('<th scope="row">') == 11 - TEAMS_PER_PAGE
    assert "no_bulletin" not in board + rows
    assert 'rel="prev"' in second and 'rel="next"' not in second
    for bad in ("0", "3", "two", "-1", "²"):
        refused = client.get("/manager/", query_string={"page": bad})
        assert refused.status_code == 400
        assert "page: must be a whole number from 1 to 2" in refused.get_data(as_text=True)


def test_a_manager_with_few_teams_sees_no_pager(as_role, org):
    publish_wifi(org)
    html = _html(as_role("manager").get("/manager/"))
    assert 'class="pager"' not in html
