"""The demo organisation on a live server, with one of everything a page can show.

Used by the accessibility sweep: the demo (``load_demo``) plus what it lacks for every page
to have content — a failed attempt (result page), an open attempt (quiz page), a second
version of a bulletin (diff page), an API token and a webhook endpoint.
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app import create_app
from app.core.database import unit_of_work
from app.core.extensions import db
from tests.conftest import PG_URL, _config, _empty_postgres, served

DEMO_PASSWORD = "onevoice-demo"
SLUG = "wibro50-wifi-login"
PEOPLE = {"agent": "agent@onevoice.example", "trainer": "trainer@onevoice.example",
          "manager": "manager@onevoice.example", "admin": "admin@onevoice.example"}


@dataclass
class DemoSite:
    """The running server and the ids the sample URLs need."""

    app: object
    base: str
    samples: dict = field(default_factory=dict)

    def set_locale(self, locale: str) -> None:
        """Store ``locale`` as every signed-in demo person's language."""
        from app.models import User

        with self.app.app_context(), unit_of_work():
            for user in db.session.scalars(select(User).where(User.email.in_(PEOPLE.values()))):
                user.locale = locale

    def start_attempt(self, slug: str) -> int:
        """The demo agent's open attempt on ``slug`` (started now: quizzes have time limits)."""
        from app.models import User
        from app.services.certification import attempts

        with self.app.app_context():
            agent = db.session.scalar(select(User).where(User.email == PEOPLE["agent"]))
            return attempts.start(agent, slug).id


def _app_on_copy(template: str, instance: Path):
    if PG_URL:
        application = create_app(_config(PG_URL, instance))
        with application.app_context():
            _empty_postgres()
        return application
    target = instance / "onevoice.sqlite3"
    shutil.copy(template, target)
    return create_app(_config(f"sqlite:///{target}", instance))


def _sit_and_fail(user, slug: str) -> int:
    """A submitted attempt with every answer wrong (the old value where offered)."""
    from app.models import Item
    from app.services.certification import attempts

    attempt = attempts.start(user, slug)
    for entry in attempt.items:
        item = db.session.get(Item, entry.item_id)
        wrong = sorted((o for o in item.options if not o.correct),
                       key=lambda o: (o.source != "old", o.id))
        attempts.save_answer(user, attempt.id, item.id, wrong[0].id)
    attempts.submit(user, attempt.id)
    return attempt.id


def _second_version(slug: str) -> None:
    """A draft version 2 of callback-ownership (callback within 1 hour, was 2), so the diff
    page has two versions to compare and the review page has draft items."""
    from app.services.content import bulletins

    source = bulletins.latest_version(slug).source
    changed = source.replace("==2 hours==", "==1 hour==").replace(
        "2 hours (not: 24 hours; 3 days)", "1 hour (was: 2 hours)").replace(
        "back within 2 hours.\"}", "back within 1 hour.\"}")  # the fact's statement
    assert changed.count("1 hour") == 3, "callback-ownership.md no longer says 2 hours"
    with unit_of_work():
        bulletins.save_draft(bulletins.parse_source(changed, f"{slug}.md"))


def _samples() -> dict:
    """Load the demo and the extras; returns the ids the sample URLs use."""
    from app.models import User
    from app.services.accounts import invitations, tokens
    from app.services.demo import load_demo
    from app.services.integration import webhook_endpoints

    assert load_demo(), "the database was not empty"
    agent = db.session.scalar(select(User).where(User.email == PEOPLE["agent"]))
    result_id = _sit_and_fail(agent, SLUG)
    _second_version("callback-ownership")
    token, _ = tokens.issue_token(PEOPLE["admin"], "Routing system (demo)",
                                  confirm_admin=True)
    with unit_of_work():
        endpoint, _ = webhook_endpoints.create_endpoint(
            "https://routing.example.com/onevoice", ["agent_eligibility.updated"])
    admin = db.session.scalar(select(User).where(User.email == PEOPLE["admin"]))
    trainer = db.session.scalar(select(User).where(User.email == PEOPLE["trainer"]))
    with unit_of_work():  # links to open (never used: the sweep only reads the pages)
        invitation = invitations.new_link(trainer, "invitation")
        reset = invitations.new_link(agent, "reset")
    return {"slug": SLUG, "result_id": result_id, "person_id": admin.id,
            "pick": _reminder_pick(), "invitation": invitation, "reset": reset,
            "diff_slug": "callback-ownership", "item_key": "f-login-1", "number": 1,
            "team": "wired_care", "manager_agent": "A1001", "support_agent": "A1011",
            "token_id": token.id, "endpoint_id": endpoint.id}


def _reminder_pick() -> str:
    """A checkbox value of the demo manager's overdue and at-risk list (the confirmation page
    before a reminder), else any uncertified assignment of the manager's teams."""
    from app.models import Assignment, User
    from app.queries.reports import at_risk, scoped_teams

    manager = db.session.scalar(select(User).where(User.email == PEOPLE["manager"]))
    rows, _total = at_risk(scoped_teams(manager), limit=1)
    if rows:
        return rows[0].pick
    user_id, version_id = db.session.execute(
        select(Assignment.user_id, Assignment.version_id).join(User, User.id == Assignment.user_id)
        .where(User.team_id.in_([t.id for t in manager.managed])).limit(1)).one()
    return f"{user_id}:{version_id}"


@contextmanager
def demo_site(template: str, instance: Path):
    """Yield a :class:`DemoSite`: the demo app with its extras, served on 127.0.0.1."""
    application = _app_on_copy(template, instance)
    application.config["WTF_CSRF_ENABLED"] = True
    with application.app_context():
        samples = _samples()
    try:
        with served(application, "a11y-server") as base:
            yield DemoSite(application, base, samples)
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
