"""Single sign-on: find the person the identity provider vouched for, apply the role and team
its claims give (docs/sso.md), and keep the audit trail (``sso_events``)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from sqlalchemy import select

from app.core.database import unit_of_work
from app.core.extensions import db
from app.domain import sso as rules
from app.models import Team, User, utcnow
from app.models.sso import SsoEvent
from app.services.certification.assignments import assign_current
from app.services.certification.eligibility import recompute

log = logging.getLogger("onevoice.sso")


def sign_in(claims: Mapping, settings: rules.SsoSettings) -> User:
    """The active user the verified ``claims`` name, updated from them, in one unit of work;
    ``rules.SignInRefused`` otherwise. Either way one audit row is written."""
    subject = f"{settings.issuer} {claims.get('sub')}"[:512]
    try:
        with unit_of_work():
            user, changes = _match_and_update(claims, settings)
            _record(user.id, user.email, subject, "signed_in", changes)
    except rules.SignInRefused as refusal:
        _refused(claims, subject, refusal)
        raise
    if changes:
        log.info("sso: %s signed in; claims changed %s", user.email, changes)
    return user


def _match_and_update(claims: Mapping, settings: rules.SsoSettings) -> tuple[User, dict]:
    email = rules.verified_email(claims, settings)
    role = rules.mapped_role(claims, settings)
    teams = rules.claimed_teams(claims, settings)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise rules.SignInRefused("unknown_user", email=email)
    known = frozenset(db.session.scalars(select(Team.code).where(Team.code.in_(teams or []))))
    account = rules.Account(role=user.role, active=bool(user.active),
                            team=user.team.code if user.team else None,
                            managed=tuple(t.code for t in user.managed))
    update = rules.plan_update(account, role, teams, known)
    changes = update.changes(account)
    _apply(user, update)
    return user, changes


def _apply(user: User, update: rules.Update) -> None:
    """Write the planned changes; an agent who moved team gets the new team's assignments
    and their eligibility recomputed (requirements may be limited to teams)."""
    if update.role is not None:
        user.role = update.role
    if update.managed is not None:
        user.managed = list(db.session.scalars(
            select(Team).where(Team.code.in_(update.managed)).order_by(Team.code)))
    if update.team is not None:
        user.team = db.session.scalar(select(Team).where(Team.code == update.team))
        db.session.flush()
        assign_current(user)
        recompute([user], cause="team_changed")
    db.session.flush()


def _refused(claims: Mapping, subject: str, refusal: rules.SignInRefused) -> None:
    """Audit a refusal of someone the provider vouched for (their account, if any)."""
    email = refusal.params.get("email") or str(claims.get("email") or "")[:254] or None
    with unit_of_work():
        user_id = db.session.scalar(select(User.id).where(User.email == (email or "").lower()))
        _record(user_id, email, subject, refusal.code, refusal.params or None)
    log.warning("sso: refused %s (%s): %s", email, subject, refusal.code)


def _record(user_id: int | None, email: str | None, subject: str, outcome: str,
            changes: dict | None) -> None:
    """One audit row; a refusal's params are kept as JSON, a phrase (a role) in English."""
    db.session.add(SsoEvent(at=utcnow(), user_id=user_id, email=email, subject=subject,
                            outcome=outcome,
                            changes=json.dumps(changes, ensure_ascii=False, default=str)
                            if changes else None))
