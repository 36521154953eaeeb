"""The command line of product.md section 6, through Flask's CLI runner."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from app import create_app
from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import ApiToken, Bulletin, BulletinVersion, Item, User
from tests.conftest import PG_URL, WIFI_BULLETIN, _config, _empty_postgres, login

ROOT = Path(__file__).resolve().parents[2]
CONTENT = [str(ROOT / "policy_changes"), str(ROOT / "quizzes")]
DEMO_SLUGS = sorted(p.stem for p in (ROOT / "policy_changes").glob("*.md"))
SKILLS = ("wibro", "wifi", "wired", "billing")
TEAMS = ("wibro_sales", "wibro_care", "wifi_support", "wired_care")


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _lines(result, label: str) -> list[str]:
    return sorted(line.split(": ", 1)[1] for line in result.output.splitlines()
                  if line.startswith(f"{label}: "))


def _fresh_app(migrated_template: str, folder: Path):
    """Another app on its own empty, migrated database, with the demo's skills and teams."""
    folder.mkdir()
    if PG_URL:
        application = create_app(_config(PG_URL, folder))
        with application.app_context():
            _empty_postgres()
    else:
        shutil.copy(migrated_template, folder / "onevoice.sqlite3")
        application = create_app(_config(f"sqlite:///{folder / 'onevoice.sqlite3'}", folder))
    _organisation(application)
    return application


def _organisation(app) -> None:
    from app.services.accounts.accounts import ensure_skill, ensure_team

    with app.app_context(), unit_of_work():
        for code in SKILLS:
            ensure_skill(code)
        for code in TEAMS:
            ensure_team(code)


def _content(app) -> list[tuple]:
    """Every bulletin version with its items, as a comparable value."""
    with app.app_context():
        versions = db.session.scalars(select(BulletinVersion).join(Bulletin)
                                      .order_by(Bulletin.slug, BulletinVersion.number)).all()
        return [(v.slug, v.number, v.status, v.title, v.source, [
            (i.key, i.fact.key, i.kind, i.stem, i.explanation, i.status,
             [(o.text, o.correct, o.source) for o in i.options]) for i in v.items])
            for v in versions]


# --- users and tokens ---------------------------------------------------------------------


def test_users_create_prints_a_generated_password(runner, org, client):
    result = runner.invoke(args=["users", "create", "--email", "New@Example.com", "--name",
                                 "New Agent", "--role", "agent", "--team", "wibro_care",
                                 "--skills", "wibro, wifi", "--external-id", "A9"])
    assert result.exit_code == 0, result.output
    assert "created agent new@example.com" in result.output
    password = re.search(r"^password: (\S+)$", result.output, re.MULTILINE).group(1)
    assert len(password) >= 12
    assert login(client, "new@example.com", password).status_code == 302
    with org.app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new@example.com"))
        assert (user.team.code, sorted(user.skill_codes), user.external_id) == \
            ("wibro_care", ["wibro", "wifi"], "A9")


def test_users_create_with_a_password_does_not_print_it(runner, org):
    result = runner.invoke(args=["users", "create", "--email", "m2@example.com", "--name", "M",
                                 "--role", "manager", "--team", "wibro_care", "--team",
                                 "wired_care", "--password", "s3cret-enough"])
    assert result.exit_code == 0, result.output
    assert "s3cret-enough" not in result.output and "password:" not in result.output
    with org.app.app_context():
        user = db.session.scalar(select(User).where(User.email == "m2@example.com"))
        assert [t.code for t in user.managed] == ["wibro_care", "wired_care"]


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "wizard"], "Invalid value for '--role'"),
    (["--role", "agent", "--team", "moon_base"], "unknown team 'moon_base'"),
    (["--role", "agent", "--skills", "wibro,telepathy"],
     "unknown call type 'telepathy': choose one of"),
    (["--role", "agent", "--team", "wibro_care", "--team", "wired_care"], "one team"),
    (["--role", "agent", "--email", "agent@example.com"], "exists already"),
    (["--role", "agent", "--email", "not-an-address"], "is not an e-mail address"),
], ids=["role", "team", "skill", "two-teams", "duplicate", "email"])
def test_users_create_refuses_bad_input(runner, org, args, message):
    before = _count(org.app, User)
    base = ["users", "create", "--name", "Someone", "--email", "someone@example.com"]
    result = runner.invoke(args=base + args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert _count(org.app, User) == before


def test_tokens_create_prints_a_working_token(runner, org, client):
    result = runner.invoke(args=["tokens", "create", "--email", "router@example.com",
                                 "--name", "routing"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("ov_") and "\n" not in token
    response = client.get("/api/v1/agents/A1/eligibility",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json["agent"]
    with org.app.app_context():
        assert db.session.scalars(select(ApiToken.name)).all() == ["routing"]


def test_tokens_create_for_an_unknown_user_fails(runner, org):
    result = runner.invoke(args=["tokens", "create", "--email", "ghost@example.com"])
    assert result.exit_code != 0 and "ghost@example.com" in result.output
    assert _count(org.app, ApiToken) == 0


# --- content as code ----------------------------------------------------------------------


def test_content_import_publishes_and_is_idempotent(runner, org):
    first = runner.invoke(args=["content", "import", *CONTENT])
    assert first.exit_code == 0, first.output
    assert _lines(first, "published") == DEMO_SLUGS
    assert [line.split()[0] for line in _lines(first, "created")] == DEMO_SLUGS
    content = _content(org.app)
    assert {v[2] for v in content} == {"published"} and all(v[5] for v in content)

    again = runner.invoke(args=["content", "import", *CONTENT])
    assert again.exit_code == 0, again.output
    assert _lines(again, "unchanged") == DEMO_SLUGS
    assert _lines(again, "created") == [] and _lines(again, "published") == []
    assert _content(org.app) == content


def test_content_export_then_import_round_trips(runner, org, migrated_template, tmp_path):
    assert runner.invoke(args=["content", "import", *CONTENT]).exit_code == 0
    original = _content(org.app)
    exported = runner.invoke(args=["content", "export", str(tmp_path / "out")])
    assert exported.exit_code == 0, exported.output
    files = sorted(p.relative_to(tmp_path / "out").as_posix()
                   for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert files == sorted([f"policy_changes/{s}.md" for s in DEMO_SLUGS]
                           + [f"quizzes/{s}.yaml" for s in DEMO_SLUGS])

    fresh = _fresh_app(migrated_template, tmp_path / "fresh")
    try:
        result = fresh.test_cli_runner().invoke(args=[
            "content", "import", str(tmp_path / "out" / "policy_changes"),
            str(tmp_path / "out" / "quizzes")])
        assert result.exit_code == 0, result.output
        assert _content(fresh) == original
    finally:
        with fresh.app_context():
            db.engine.dispose()


def _bulletin_file(folder: Path, n: int, broken: bool = False) -> Path:
    source = WIFI_BULLETIN.replace("id: wibro50-wifi-login", f"id: change-{n:02d}")
    if broken:
        source = source.replace("skills: [wibro, wifi]", "skills: [wibro, telepathy]")
    path = folder / f"change-{n:02d}.md"
    path.write_text(source, encoding="utf-8")
    return path


def test_content_import_with_one_broken_file_writes_nothing(runner, org, tmp_path):
    folder = tmp_path / "changes"
    folder.mkdir()
    paths = [_bulletin_file(folder, n, broken=n == 7) for n in range(1, 11)]
    result = runner.invoke(args=["content", "import", str(folder)])
    assert result.exit_code != 0
    assert f"{paths[6]}:6: unknown call type 'telepathy': choose one of" in result.output
    assert "nothing was imported" in result.output
    assert _count(org.app, Bulletin) == 0 and _count(org.app, Item) == 0

    paths[6].write_text(WIFI_BULLETIN.replace("id: wibro50-wifi-login", "id: change-07"),
                        encoding="utf-8")
    fixed = runner.invoke(args=["content", "import", "--draft", str(folder)])
    assert fixed.exit_code == 0, fixed.output
    assert _count(org.app, Bulletin) == 10


def test_content_import_of_a_missing_path_fails(runner, org, tmp_path):
    result = runner.invoke(args=["content", "import", str(tmp_path / "nowhere.md")])
    assert result.exit_code != 0 and "no such file or directory" in result.output
    assert _count(org.app, Bulletin) == 0


def test_quiz_naming_an_unknown_fact_is_refused(runner, org, tmp_path):
    bulletin = tmp_path / "wibro50-wifi-login.md"
    bulletin.write_text(WIFI_BULLETIN, encoding="utf-8")
    quiz = yaml.safe_load((ROOT / "quizzes" / "wibro50-wifi-login.yaml").read_text("utf-8"))
    quiz["items"][0]["fact"] = "f-nowhere"
    (tmp_path / "quiz.yaml").write_text(yaml.safe_dump(quiz, allow_unicode=True), "utf-8")
    result = runner.invoke(args=["content", "import", str(bulletin), str(tmp_path / "quiz.yaml")])
    assert result.exit_code != 0 and "unknown fact 'f-nowhere'" in result.output
    assert _count(org.app, Bulletin) == 0


# --- quiz generate ------------------------------------------------------------------------


def _quiz(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_quiz_generate_writes_a_quiz_file(runner, tmp_path):
    source = tmp_path / "wibro50-wifi-login.md"
    source.write_text(WIFI_BULLETIN, encoding="utf-8")
    out = tmp_path / "quizzes" / "wibro50-wifi-login.yaml"
    result = runner.invoke(args=["quiz", "generate", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    quiz = _quiz(out)
    assert (quiz["bulletin"], quiz["version"]) == ("wibro50-wifi-login", 1)
    assert {i["fact"] for i in quiz["items"]} == {
        "f-login", "f-bundle", "f-date", "f-plan", "f-route", "f-handover"}
    assert all(sum(bool(o.get("correct")) for o in i["options"]) == 1 for i in quiz["items"])
    stdout = runner.invoke(args=["quiz", "generate", str(source)])
    assert stdout.exit_code == 0 and stdout.output == out.read_text(encoding="utf-8")


def test_quiz_generate_keeps_trainer_edits(runner, tmp_path):
    source = tmp_path / "wibro50-wifi-login.md"
    source.write_text(WIFI_BULLETIN, encoding="utf-8")
    out = tmp_path / "quiz.yaml"
    assert runner.invoke(args=["quiz", "generate", str(source), "-o", str(out)]).exit_code == 0
    quiz = _quiz(out)
    edited, approved = quiz["items"][0], quiz["items"][1]
    assert edited["status"] == approved["status"] == "draft"
    edited["stem"] = "EDITED: how does a WiBro 50 GB customer log in?"
    approved["status"] = "approved"
    out.write_text(yaml.safe_dump(quiz, allow_unicode=True, sort_keys=False), encoding="utf-8")

    again = runner.invoke(args=["quiz", "generate", str(source), "-o", str(out)])
    assert again.exit_code == 0, again.output
    items = {i["id"]: i for i in _quiz(out)["items"]}
    assert items[edited["id"]]["stem"] == edited["stem"]
    assert items[approved["id"]]["status"] == "approved"
    assert [i["id"] for i in _quiz(out)["items"]] == [i["id"] for i in quiz["items"]]


def test_quiz_generate_reports_a_broken_bulletin(runner, tmp_path):
    source = tmp_path / "broken.md"
    source.write_text(WIFI_BULLETIN.replace("effective: 2010-09-01", "effective: soon"), "utf-8")
    out = tmp_path / "quiz.yaml"
    result = runner.invoke(args=["quiz", "generate", str(source), "-o", str(out)])
    assert result.exit_code != 0
    assert f"{source}:5: " in result.output and "soon" in result.output
    assert not out.exists()


# --- demo and worker ----------------------------------------------------------------------


def test_demo_loads_into_an_empty_database_once(runner, app):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Demo logins (password for all: onevoice-demo)" in result.output
    assert "agent@onevoice.example" in result.output
    users, bulletins = _count(app, User), _count(app, Bulletin)
    assert users > 4 and bulletins == len(DEMO_SLUGS)
    content = _content(app)

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    assert "already has users; demo not loaded" in again.output
    assert (_count(app, User), _count(app, Bulletin)) == (users, bulletins)
    assert _content(app) == content


def test_demo_migrates_a_brand_new_database_first(tmp_path, monkeypatch):
    """``flask demo`` on a file that has no tables yet: the schema is made, then the demo."""
    monkeypatch.setenv("ONEVOICE_INSTANCE_PATH", str(tmp_path))
    fresh = create_app(_config(f"sqlite:///{tmp_path / 'new.sqlite3'}", tmp_path))
    result = fresh.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "admin@onevoice.example" in result.output
    assert _count(fresh, Bulletin) == len(DEMO_SLUGS)
    with fresh.app_context():
        db.engine.dispose()


def test_demo_refuses_a_database_with_users(runner, org):
    before = _count(org.app, User)
    result = runner.invoke(args=["demo"])
    assert "demo not loaded" in result.output
    assert _count(org.app, User) == before and _count(org.app, Bulletin) == 0


def test_worker_once_runs_a_pass(runner, org):
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"changes: \d+\n", result.output)


def test_content_import_tells_the_author_what_to_add(runner, org, tmp_path):
    """Generated items: the import names each fact that needs not: values (or ask=)."""
    source = WIFI_BULLETIN.replace(" (not: WiBro 30 GB; WiBro 10 GB)", "")
    (tmp_path / "wibro50-wifi-login.md").write_text(source, encoding="utf-8")
    result = runner.invoke(args=["content", "import", "--draft", str(tmp_path)])
    assert result.exit_code == 0, result.output
    advice = _lines(result, "advice")
    assert any(line.startswith("wibro50-wifi-login: fact f-plan:") and "not:" in line
               for line in advice), result.output
    assert not any("fact f-login:" in line for line in advice), result.output
