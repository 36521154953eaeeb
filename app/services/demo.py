"""The demo organisation: the story's four centres, their agents and their history.

Loaded by ``flask --app app demo`` and by ``python app.py`` on an empty database. Histories
are played through the real attempt service, so the reports show real answers.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import func, select

from ..database import unit_of_work
from ..extensions import db
from ..models import Assignment, Bulletin, BulletinVersion, Item, User
from . import attempts
from .accounts import create_user, ensure_skill, ensure_team
from .content_io import import_paths
from .demo_calls import load_demo_calls

ROOT = Path(__file__).resolve().parents[2]
ORGANISATION = ROOT / "demo" / "organisation.yaml"
CONTENT = [ROOT / "policy_changes", ROOT / "quizzes"]


def _organisation() -> dict:
    return yaml.safe_load(ORGANISATION.read_text(encoding="utf-8"))


def load_demo() -> bool:
    """Load everything into an empty database; False (and nothing written) otherwise."""
    if db.session.scalar(select(func.count(User.id))):
        return False
    org = _organisation()
    with unit_of_work():
        for skill in org["skills"]:
            ensure_skill(skill["code"], skill["name"])
        for team in org["teams"]:
            ensure_team(team["code"], team["name"])
        for person in org["users"]:
            create_user(
                email=person["email"], name=person["name"], role=person["role"],
                teams=person.get("manages") or ([person["team"]] if person.get("team") else []),
                skills=person.get("skills", []), password=org["password"],
                external_id=person.get("external_id"), locale=person.get("locale"),
            )
    import_paths([p for p in CONTENT if p.exists()])
    for person in org["users"]:
        for slug, outcome in (person.get("history") or {}).items():
            if outcome in ("passed", "failed_stale"):
                _play(person["email"], slug, outcome == "passed")
    load_demo_calls()
    return True


def _play(email: str, slug: str, pass_it: bool) -> None:
    """Sit one attempt as the agent: all correct, or choosing the old value where offered."""
    user = db.session.scalar(select(User).where(User.email == email))
    assigned = db.session.scalar(
        select(func.count(Assignment.id)).join(BulletinVersion).join(Bulletin)
        .where(Assignment.user_id == user.id, Bulletin.slug == slug))
    if not assigned:
        return  # this bulletin does not target the agent's team
    attempt = attempts.start(user, slug)
    for entry in attempt.items:
        item = db.session.get(Item, entry.item_id)
        attempts.save_answer(user, attempt.id, item.id, _choice(item, pass_it))
    attempts.submit(user, attempt.id)


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
