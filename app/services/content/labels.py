"""Call types (skills) and teams named in the reader's language.

A skill or team has a default ``name`` and, optionally, ``names`` in other languages
(``{"ko": "와이파이"}``; the demo loads them from demo/organisation.yaml). Pages show
``names[locale]``, else ``name``, else the code: an agent never reads a bare code when a name
exists.
"""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.errors import ServiceError
from app.models import Skill, Team


def _pick(name: str | None, names: dict | None, code: str, locale: str) -> str:
    return (names or {}).get(locale) or name or code


def skill_names(locale: str) -> dict[str, str]:
    """Every skill's name in ``locale`` (falling back to its default name), by code."""
    rows = db.session.execute(select(Skill.code, Skill.name, Skill.names))
    return {code: _pick(name, names, code, locale) for code, name, names in rows}


def team_names(locale: str) -> dict[str, str]:
    """Every team's name in ``locale`` (falling back to its default name), by code."""
    rows = db.session.execute(select(Team.code, Team.name, Team.names))
    return {code: _pick(name, names, code, locale) for code, name, names in rows}


def set_names(row: Skill | Team, names: dict[str, str]) -> None:
    """Store a skill's or team's names in other languages; an empty name is refused."""
    for locale, name in names.items():
        if not str(name or "").strip():
            raise ServiceError("label_name_empty", field="names", locale=locale,
                               code=row.code)
    row.names = {**(row.names or {}), **{k: str(v).strip() for k, v in names.items()}}
