"""The demo organisation: the story's four centres, their agents and their history.

Loaded by ``flask --app app demo`` and by ``python app.py`` on an empty database. Histories
are played through the real attempt service, so the reports show real answers.

The demo lives now (``calendar:`` in demo/organisation.yaml): the story's change takes effect
a few days after the day it is loaded, every date its bulletins and quiz files state moves
with it (app/domain/date_shift.py), the bulletins were published weeks before, and each
agent's history is played on a day of those weeks. Everything is seeded and placed relative to
the load day, so loading twice on the same day gives the same numbers (a day later, the same
history a day later); nothing depends on the hour.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy import func, select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain.date_shift import shift_dates
from app.domain.gating import start_of_local_day, time_zone
from app.models import Assignment, Bulletin, BulletinVersion, Item, User, utcnow
from app.queries.inbox import generate
from app.services.accounts.accounts import create_user, ensure_skill, ensure_team
from app.services.calls.demo import load_demo_calls
from app.services.certification import attempts
from app.services.certification.eligibility import run_time_checks
from app.services.content.bulletins import latest_version
from app.services.content.content_io import import_paths
from app.services.content.labels import set_names
from app.services.content.translations import original_slug, reading_versions

ROOT = Path(__file__).resolve().parents[2]
ORGANISATION = ROOT / "demo" / "organisation.yaml"
CONTENT = [ROOT / "policy_changes", ROOT / "quizzes"]


def _organisation() -> dict:
    return yaml.safe_load(ORGANISATION.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Calendar:
    """Where the demo's story sits around the load day (all instants UTC)."""

    today: datetime  # local midnight that began the load day
    shift: int  # days every date of the story moves by
    moves: dict  # slug -> extra days for that bulletin
    published_at: datetime

    def days_for(self, slug: str) -> int:
        """The days the dates of bulletin ``slug`` move by."""
        return self.shift + int(self.moves.get(slug, 0))


def demo_calendar(org: dict, now: datetime | None = None) -> Calendar:
    """The demo's calendar for the day containing ``now`` in the organisation's time zone."""
    spec = org["calendar"]
    today = start_of_local_day(now or utcnow(), current_app.config["ONEVOICE_TIMEZONE"])
    local_day = today.astimezone(_zone()).date()
    anchor = spec["anchor"] if isinstance(spec["anchor"], date) else \
        date.fromisoformat(str(spec["anchor"]))
    shift = (local_day - anchor).days + int(spec["effective_in_days"])
    published = today - timedelta(days=int(spec["published_days_ago"])) + timedelta(hours=9)
    return Calendar(today, shift, dict(spec.get("bulletins") or {}), published)


def _zone():
    return time_zone(current_app.config["ONEVOICE_TIMEZONE"])


def load_demo(now: datetime | None = None) -> bool:
    """Load everything into an empty database; False (and nothing written) otherwise."""
    if db.session.scalar(select(func.count(User.id))):
        return False
    org = _organisation()
    calendar = demo_calendar(org, now)
    with unit_of_work():
        _people(org)
    with tempfile.TemporaryDirectory(prefix="onevoice-demo-") as tmp:
        import_paths(_shifted_content(Path(tmp), calendar), at=calendar.published_at)
    rng = random.Random("onevoice-demo")  # times are relative to the load day: a day later,
    # the same history one day later
    for when, email, slug, pass_it in _plays(org, calendar, rng):
        _play(email, slug, pass_it, when, rng)
    _catch_up(now)
    load_demo_calls(now)
    return True


def _catch_up(now: datetime | None) -> None:
    """What the worker would have done since the histories: gates that arrived (blocked
    agents, overdue), and the inbox's reminders."""
    run_time_checks(now)
    generate(now)


def _people(org: dict) -> None:
    for skill in org["skills"]:
        row = ensure_skill(skill["code"], skill["name"])
        if skill.get("name_ko"):
            set_names(row, {"ko": skill["name_ko"]})
    for team in org["teams"]:
        row = ensure_team(team["code"], team["name"])
        if team.get("name_ko"):
            set_names(row, {"ko": team["name_ko"]})
    for person in org["users"]:
        create_user(
            email=person["email"], name=person["name"], role=person["role"],
            teams=person.get("manages") or ([person["team"]] if person.get("team") else []),
            skills=person.get("skills", []), password=org["password"],
            external_id=person.get("external_id"), locale=person.get("locale"),
        )


def _shifted_content(target: Path, calendar: Calendar) -> list[Path]:
    """Copies of the demo's bulletins and quiz files with their dates moved to now."""
    out = []
    for folder in CONTENT:
        if not folder.exists():
            continue
        dest = target / folder.name
        dest.mkdir()
        for source in sorted(folder.iterdir()):
            if source.suffix in (".md", ".yaml"):
                text = source.read_text(encoding="utf-8")
                (dest / source.name).write_text(
                    shift_dates(text, calendar.days_for(source.stem)), encoding="utf-8")
        out.append(dest)
    return out


def _plays(org: dict, calendar: Calendar, rng: random.Random) -> list[tuple]:
    """Every attempt of the histories: (when, email, slug, passed), in time order.

    A pass falls between publication and the bulletin's gate (the history says "passed
    before its gate"); a fail anywhere before the load day. Nothing happens on the load day.
    """
    gates = dict(db.session.execute(
        select(Bulletin.slug, func.min(BulletinVersion.gate_at))
        .join(BulletinVersion).group_by(Bulletin.slug)).all())
    start = calendar.published_at + timedelta(days=1)
    plays = []
    for person in org["users"]:
        for slug, outcome in (person.get("history") or {}).items():
            if outcome not in ("passed", "failed_stale") or slug not in gates:
                continue
            end = calendar.today - timedelta(hours=2)
            if outcome == "passed":
                end = min(end, gates[slug] - timedelta(hours=2))
            span = max((end - start).total_seconds(), 0)
            plays.append((start + timedelta(seconds=int(rng.random() * span)),
                          person["email"], slug, outcome == "passed"))
    return sorted(plays)


def _play(email: str, slug: str, pass_it: bool, when: datetime, rng: random.Random) -> None:
    """Sit one attempt as the agent at ``when``: all correct, or choosing the old value
    where offered."""
    user = db.session.scalar(select(User).where(User.email == email))
    slug = original_slug(slug)  # a change's history is one, played in the agent's language
    assigned = db.session.scalar(
        select(func.count(Assignment.id)).join(BulletinVersion).join(Bulletin)
        .where(Assignment.user_id == user.id, Bulletin.slug == slug))
    if not assigned:
        return  # this bulletin does not target the agent's team
    original = latest_version(slug, published=True)
    slug = reading_versions(user.locale, [original])[original.id].slug
    attempt = attempts.start(user, slug, at=when, rng=rng)
    for n, entry in enumerate(attempt.items, 1):
        item = db.session.get(Item, entry.item_id)
        attempts.save_answer(user, attempt.id, item.id, _choice(item, pass_it),
                             at=when + timedelta(seconds=20 * n))
    attempts.submit(user, attempt.id, at=when + timedelta(minutes=4))


def _choice(item: Item, correct: bool) -> int:
    if correct:
        return next(o.id for o in item.options if o.correct)
    wrong = [o for o in item.options if not o.correct]
    stale = [o for o in wrong if o.source == "old"]
    return (stale or wrong)[0].id


def demo_logins() -> tuple[str, list[tuple[str, str]]]:
    """The shared demo password and one login per role (the first user of each)."""
    org = _organisation()
    seen, logins = set(), []
    preferred = ["agent@onevoice.example"]
    people = sorted(org["users"], key=lambda p: p["email"] not in preferred)
    for person in people:
        if person["role"] not in seen:
            seen.add(person["role"])
            logins.append((person["role"], person["email"]))
    order = ["agent", "trainer", "manager", "admin"]
    return org["password"], sorted(logins, key=lambda r: order.index(r[0]))
