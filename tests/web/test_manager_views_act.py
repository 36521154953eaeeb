"""The board leads to action: cells before their gate read "not due", charts sized to their
weeks, the gaps chart worst first (issue 16, item 6)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from app.domain.charts import line_width
from tests.conftest import publish_wifi
from tests.web.manager_support import (
    ALL_TEAMS,
    SLUG,
    add_agent,
    future_source,
    publish_choice_items,
    sit,
)

SVG = "{http://www.w3.org/2000/svg}"


def _html(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    return response.get_data(as_text=True)


def _cells(html: str) -> list[str]:
    board = html.split('id="board-h"')[1].split("</table>")[0]
    return re.findall(r"<td class=\"[^\"]*\">.*?</td>", board, re.DOTALL)


def test_a_cell_before_its_gate_reads_not_due_with_the_countdown(as_role, org):
    publish_wifi(org, source=future_source(27))  # wibro_care, gates in 27 local days
    html = _html(as_role("manager").get("/manager/"))
    (cell,) = _cells(html)
    assert cell.startswith('<td class="notdue">') and "Not due" in cell
    assert "in 27 days" in cell and "(0/1)" in cell
    assert "heat" not in cell and "0%" not in cell  # no red 0 %
    assert "Not due: before the gate" in html.split('id="band-legend"')[1].split("</p>")[0]


def test_a_gated_cell_keeps_its_colour_band(as_role, org):
    publish_wifi(org)  # gated in 2010
    (cell,) = _cells(_html(as_role("manager").get("/manager/")))
    assert cell.startswith('<td class="heat h0">0%')


def test_the_korean_board_says_not_due(app, client, org):
    publish_wifi(org, source=future_source(5))
    from tests.conftest import login

    assert login(client, "manager@example.com").status_code == 302
    html = _html(client.get("/manager/", headers={"Accept-Language": "ko"}))
    (cell,) = _cells(html)
    assert "기한 전" in cell and "5일 후" in cell


def _svg(html: str, section: str) -> ET.Element:
    part = html.split(f'id="{section}"')[1].split("</section>")[0]
    return ET.fromstring(re.search(r"<svg.*?</svg>", part, re.DOTALL).group(0))


def test_trend_chart_is_as_wide_as_its_weeks(app, as_role, org):
    publish_choice_items(org)
    sit(app, "agent@example.com", SLUG, "correct")
    client = as_role("manager")
    eight = _svg(_html(client.get("/manager/trend")), "overall-h")
    assert float(eight.get("width")) == line_width(8, 2)
    axis = [t.text for t in eight.iter(f"{SVG}text") if re.fullmatch(r"[A-Z][a-z]{2} \d+", t.text)]
    assert len(axis) == 8  # every week labelled
    long = _svg(_html(client.get("/manager/trend?from=2026-01-01&to=2026-06-30")), "overall-h")
    assert float(long.get("width")) == line_width(26, 2) > float(eight.get("width"))
    page = _html(client.get("/manager/trend"))
    assert 'class="chart-scroll" tabindex="0" role="region"' in page  # scrolls, not squeezed


def test_gaps_chart_leads_with_the_worst_team(app, as_role, org):
    publish_choice_items(org, ALL_TEAMS)
    add_agent(app, "agent3@example.com", "wibro_care", external_id="A3")
    sit(app, "agent@example.com", SLUG, "correct")
    sit(app, "agent3@example.com", SLUG, "correct")
    sit(app, "agent2@example.com", SLUG, "old")
    html = _html(as_role("admin").get(f"/manager/gaps?bulletin={SLUG}"))
    root = _svg(html, "fact-h")
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "label"]
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    assert values == sorted(values, key=lambda v: int(v.rstrip("%")))  # worst first
    assert values[0] == "0%" and labels[0] == "Wired Care"
    table = html.split('id="fact-h"')[1].split('<table class="fallback">')[1]
    assert table.index("Wired Care") < table.index("Wibro Care")
