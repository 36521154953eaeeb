"""Moodle GIFT and XML question banks in and out, through the command line and the web."""

from pathlib import Path

from app.core.extensions import db
from app.models import Item
from tests.conftest import WIFI_BULLETIN

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gift"


def _draft(client, org) -> str:
    created = client.post("/api/v1/bulletins", json={"source": WIFI_BULLETIN},
                          headers=org.headers("trainer@example.com"))
    assert created.status_code == 201
    return created.json["id"]


def test_gift_bank_imports_supported_questions_and_reports_the_rest(client, org, runner):
    slug = _draft(client, org)
    bank = FIXTURES / "moodle-fixture-questions.gift.txt"
    result = runner.invoke(args=["quiz", "import", str(bank),
                                 "--bulletin", slug, "--fact", "f-login"])
    assert result.exit_code == 0, result.output
    assert "imported 4 item(s) as drafts" in result.output
    assert result.stderr.count("skipped:") == 5
    assert "gift.txt:2: skipped: essay question" in result.stderr
    with org.app.app_context():
        imported = db.session.query(Item).filter_by(recipe="").all()
        assert len(imported) == 4 and {i.status for i in imported} == {"draft"}


def test_import_into_unknown_fact_writes_nothing(client, org, runner):
    slug = _draft(client, org)
    with org.app.app_context():
        before = db.session.query(Item).count()
    result = runner.invoke(args=["quiz", "import", str(FIXTURES / "moodle-examples.gift.txt"),
                                 "--bulletin", slug, "--fact", "f-nope"])
    assert result.exit_code == 1 and "no fact 'f-nope'" in result.stderr
    with org.app.app_context():
        assert db.session.query(Item).count() == before


def test_export_round_trips_through_gift_and_xml(client, org, runner, tmp_path, as_role):
    from app.domain.interchange import parse_gift, parse_moodle_xml

    slug = _draft(client, org)
    for fmt, parse in (("gift", parse_gift), ("xml", parse_moodle_xml)):
        out = tmp_path / f"bank.{fmt}"
        result = runner.invoke(args=["quiz", "export", slug, "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        back = parse(out.read_text(encoding="utf-8"))
        assert back.items and not back.skipped
    as_role("trainer")
    download = client.get(f"/trainer/bulletins/{slug}/export.gift")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert "{" in download.get_data(as_text=True)
