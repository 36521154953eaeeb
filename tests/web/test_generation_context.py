"""Item generation on the server sees the facts of the other published bulletins: loaded and
indexed once per import (app/services/content/content_io.py), loaded again after the import
publishes a version, and giving what a plain list of those facts gives."""

from __future__ import annotations

import shutil

from app.domain.generation import GenerationContext, generate_items
from app.services.content.bulletins import fact_doc, item_draft, latest_version, parse_source
from app.services.content.content_io import import_paths
from tests.conftest import ROOT, WIFI_BULLETIN

STUDENTS = (WIFI_BULLETIN.replace("id: wibro50-wifi-login", "id: wifi-students", 1)
            .replace("**Eligible plan**", "**Eligible plan for students**")
            .replace("on the WiBro 50 GB plan log in", "on the WiBro 30 GB plan log in")
            .replace(": WiBro 50 GB (not: WiBro 30 GB; WiBro 10 GB)",
                     ": WiBro 30 GB (not: WiBro 10 GB)"))


def test_a_draft_generated_after_a_publication_in_the_same_import_uses_its_facts(ctx, org,
                                                                                  tmp_path):
    early = STUDENTS.replace("id: wifi-students", "id: wifi-early", 1)
    (tmp_path / "0.md").write_text(early, encoding="utf-8")  # generated first: loads the index
    (tmp_path / "a.md").write_text(WIFI_BULLETIN, encoding="utf-8")  # published (reviewed quiz)
    shutil.copy(ROOT / "quizzes" / "wibro50-wifi-login.yaml", tmp_path / "a.yaml")
    (tmp_path / "b.md").write_text(STUDENTS, encoding="utf-8")  # generated, left as a draft
    report = import_paths([tmp_path])
    assert report.published == ["wibro50-wifi-login"]

    assert not _lent(latest_version("wifi-early"))  # nothing published before it
    stored = [item_draft(i) for i in latest_version("wifi-students").items]
    plan = {(o.text, o.source) for item in stored if item.fact == "f-plan" for o in item.options}
    assert ("WiBro 50 GB", "other_bulletin") in plan  # lent by the bulletin published first
    published = tuple(fact_doc(f) for f in latest_version("wibro50-wifi-login").facts)
    expected = generate_items(parse_source(STUDENTS, "b.md"),
                              context=GenerationContext(other_facts=published))
    assert [(i.key, i.options) for i in stored] == [(i.key, i.options) for i in expected]


def _lent(version) -> list:
    return [o for item in version.items for o in item.options if o.source == "other_bulletin"]
