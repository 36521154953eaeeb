"""The benchmark data generator at a tiny size: counts, determinism by seed, consistency with
the services' own rules, and the readiness API answering for the data."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.models import (
    Answer,
    Assignment,
    Attempt,
    AttemptItem,
    Bulletin,
    BulletinVersion,
    Certification,
    EligibilityState,
    ItemOption,
    Skill,
    Team,
    User,
)
from app.services.accounts.accounts import create_token
from benchmarks.data import Sizes, bench_data_command, generate
from tests.eligibility_reference import evaluate_now

AT = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
TINY = ["--agents", "50", "--teams", "5", "--bulletins", "4", "--answers", "2000",
        "--seed", "1", "--as-of", AT.isoformat()]
SKIP_COLUMNS = {"password_hash"}  # argon2 salts every hash


@pytest.fixture
def tiny(app, runner):
    """The tiny dataset, built through the command line."""
    result = runner.invoke(bench_data_command, args=[*TINY])
    assert result.exit_code == 0, result.output
    return result.output


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table the generator fills, in primary-key order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if c.name not in SKIP_COLUMNS]
        rows[table.name] = db.session.execute(
            select(*columns).order_by(*table.primary_key.columns)).all()
    return rows


def empty_database() -> None:
    with unit_of_work() as session:
        for table in reversed(db.metadata.sorted_tables):
            session.execute(delete(table))


def test_counts(tiny, ctx):
    assert "answers:      2,000" in tiny
    assert count(User) == 50 + 3 + 1  # agents, admin/trainer/integration, one manager
    assert db.session.scalar(select(func.count(User.id)).where(User.role == "agent")) == 50
    assert (count(Team), count(Bulletin), count(BulletinVersion)) == (5, 4, 4)
    assert count(Answer) == 2000
    assert count(Attempt) == 400  # five facts, one item each: five answers an attempt
    assert count(AttemptItem) == 2000
    passed = db.session.scalar(select(func.count(Attempt.id)).where(Attempt.passed.is_(True)))
    assert count(Certification) == passed > 0


def test_team_sizes_are_skewed(tiny, ctx):
    sizes = sorted(n for n, in db.session.execute(
        select(func.count(User.id)).where(User.role == "agent").group_by(User.team_id)))
    assert len(sizes) == 5 and min(sizes) >= 1 and max(sizes) >= 2 * min(sizes)


def test_every_answer_belongs_to_an_item_drawn_for_its_attempt(tiny, ctx):
    orphans = db.session.scalar(
        select(func.count()).select_from(Answer).outerjoin(
            AttemptItem, (AttemptItem.attempt_id == Answer.attempt_id)
            & (AttemptItem.item_id == Answer.item_id))
        .where(AttemptItem.item_id.is_(None)))
    assert orphans == 0
    foreign = db.session.scalar(
        select(func.count()).select_from(Answer)
        .join(ItemOption, ItemOption.id == Answer.option_id)
        .where(ItemOption.item_id != Answer.item_id))
    assert foreign == 0


def test_assignments_follow_rule_one(tiny, ctx):
    for version in db.session.scalars(select(BulletinVersion)):
        expected = {u.id for u in db.session.scalars(select(User).where(User.role == "agent"))
                    if u.active and set(version.skills) & u.skill_codes
                    and (not version.teams or u.team.code in version.teams)}
        assigned = set(db.session.scalars(
            select(Assignment.user_id).where(Assignment.version_id == version.id)))
        assert assigned == expected, version.slug


def test_stored_eligibility_is_what_the_rules_say(tiny, ctx):
    skills = dict(db.session.execute(select(Skill.id, Skill.code)).all())
    for user in db.session.scalars(select(User).where(User.role == "agent")):
        computed = evaluate_now(user, at=AT)
        stored = {skills[s.skill_id]: s for s in db.session.scalars(
            select(EligibilityState).where(EligibilityState.user_id == user.id))}
        assert set(stored) == set(computed), user.external_id
        for code, result in computed.items():
            assert stored[code].cleared == result.cleared, (user.external_id, code)
            assert [m["bulletin"] for m in stored[code].missing] == [
                m.bulletin for m in result.missing]
        assert user.eligibility_check_at is None or user.eligibility_check_at > AT


def test_wrong_answers_choose_the_old_value_most(tiny, ctx):
    sources = Counter(db.session.scalars(
        select(ItemOption.source).join(Answer, Answer.option_id == ItemOption.id)
        .where(ItemOption.correct.is_(False))))
    assert sources.most_common(1)[0][0] == "old", sources


def test_same_seed_same_rows_other_seed_other_rows(ctx):
    generate(Sizes(50, 5, 4, 2000, seed=1), AT)
    first = snapshot()
    empty_database()
    generate(Sizes(50, 5, 4, 2000, seed=1), AT)
    assert snapshot() == first
    empty_database()
    generate(Sizes(50, 5, 4, 2000, seed=2), AT)
    assert snapshot()["answers"] != first["answers"]


def test_derived_tables_are_filled(tiny, ctx):
    from app.derived import eligibility_documents as documents
    from app.derived.aggregates_rebuild import firsts_source, gap_counts_source, marks_source
    from app.models.eligibility import eligibility_documents
    from app.models.report_aggregates import gap_counts, gap_firsts, readiness_marks

    def rows(query):
        return {tuple(row) for row in db.session.execute(query)}

    assert "derived tables:" in tiny
    agents = list(db.session.scalars(select(User.id).where(User.role == "agent")))
    assert rows(select(eligibility_documents)) == {
        (user_id, body, etag) for user_id, (body, etag) in documents.build(
            db.session, agents).items()} != set()
    assert count(readiness_marks) == count(Assignment)
    assert rows(select(readiness_marks)) == rows(marks_source())
    assert rows(select(gap_firsts)) == rows(firsts_source()) != set()
    assert rows(select(gap_counts)) == rows(gap_counts_source(firsts_source().subquery()))


def test_readiness_api_answers_for_the_data(tiny, app, client):
    with app.app_context(), unit_of_work():
        token = create_token("admin@bench.example")[1]
    response = client.get("/api/v1/reports/readiness",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.json
    cells = [b for team in response.json["teams"] for b in team["bulletins"]]
    with app.app_context():
        now = datetime.now(UTC)
        assert sum(c["assigned"] for c in cells) == count(Assignment)
        certified = db.session.scalar(
            select(func.count(func.distinct(Certification.user_id * 100_000
                                            + Certification.version_id)))
            .where((Certification.valid_until.is_(None)) | (Certification.valid_until > now)))
    assert sum(c["certified"] for c in cells) == certified


def test_eligibility_api_answers_for_an_agent(tiny, app, client):
    with app.app_context(), unit_of_work():
        token = create_token("router@bench.example")[1]
    response = client.get("/api/v1/agents/E000001/eligibility",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.json
    assert response.json["agent"] == "E000001"
    assert response.json["cleared"] or response.json["blocked"]


@pytest.mark.parametrize(("args", "message"), [
    (["--agents", "0"], "--agents must be at least 1"),
    (["--answers", "-1"], "--answers must be at least 0"),
    (["--as-of", "yesterday"], "is not an ISO date-time"),
])
def test_bad_sizes_are_refused(runner, app, args, message):
    result = runner.invoke(bench_data_command, args=["--agents", "5", "--teams", "2",
                                 "--bulletins", "2", "--answers", "10", *args])
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert count(User) == 0


def test_refuses_a_database_that_has_data(org, runner, app):
    result = runner.invoke(bench_data_command, args=[*TINY])
    assert result.exit_code == 1
    assert "needs an empty database" in result.output
    with app.app_context():
        assert count(Answer) == 0 and count(Team) == 4
