"""Plain lists and existence checks the pages need (form choices, filter checks)."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.models import Bulletin, BulletinVersion, Skill, Team, User


def skills() -> list[Skill]:
    """Every skill, by code."""
    return db.session.scalars(select(Skill).order_by(Skill.code)).all()


def skill_choices() -> list[tuple[str, str]]:
    """Every skill as (code, name), for the filter form."""
    return list(db.session.execute(select(Skill.code, Skill.name).order_by(Skill.code)))


def skill_exists(code: str) -> bool:
    """Whether a skill with this code exists."""
    return db.session.scalar(select(Skill.id).where(Skill.code == code)) is not None


def bulletin_exists(slug: str) -> bool:
    """Whether a bulletin with this slug exists."""
    return db.session.scalar(select(Bulletin.id).where(Bulletin.slug == slug)) is not None


def bulletins_newest_first() -> list[Bulletin]:
    """Every bulletin, the newest created first."""
    return db.session.scalars(select(Bulletin).order_by(Bulletin.created_at.desc())).all()


def people() -> list[User]:
    """Everyone, by role then email."""
    return db.session.scalars(select(User).order_by(User.role, User.email)).all()


def staff_emails() -> list[str]:
    """The email of every account that is not an agent (who may hold an API token)."""
    return db.session.scalars(select(User.email).where(User.role != "agent")
                              .order_by(User.email)).all()


def teams() -> list[Team]:
    """Every team, by code."""
    return db.session.scalars(select(Team).order_by(Team.code)).all()


def bulletin_titles() -> dict[str, str]:
    """Every bulletin's id with the title of its newest version."""
    latest = {}
    for version in db.session.scalars(select(BulletinVersion).join(Bulletin)
                                      .order_by(BulletinVersion.number)):
        latest[version.slug] = version.title
    return latest


def bulletin_slugs() -> set[str]:
    """The id of every bulletin."""
    return set(db.session.scalars(select(Bulletin.slug)))


def published_originals() -> list[BulletinVersion]:
    """The newest published version of every bulletin that is no translation, by slug (what
    a translation may name as ``translation_of``)."""
    newest: dict[str, BulletinVersion] = {}
    for version in db.session.scalars(
            select(BulletinVersion).join(Bulletin).where(BulletinVersion.status == "published")
            .order_by(BulletinVersion.number)):
        newest[version.slug] = version
    return [v for _, v in sorted(newest.items()) if not v.translation_of]
