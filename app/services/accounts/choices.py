"""Refusals that name the valid choices: an unknown call type or team lists the known ones."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.errors import ServiceError
from app.models import Skill, Team

_MODELS = {"skill": Skill, "team": Team}


def known_codes(kind: str) -> list[str]:
    """Every ``skill`` or ``team`` code, sorted."""
    model = _MODELS[kind]
    return list(db.session.scalars(select(model.code).order_by(model.code)))


def unknown(kind: str, code: object, *, error: type[ServiceError] = ServiceError,
            field: str | None = None) -> ServiceError:
    """The refusal of an unknown ``skill`` or ``team`` code, listing the known ones."""
    choices = known_codes(kind)
    name = f"unknown_{kind}" if choices else f"unknown_{kind}_none"
    return error(name, field=field or kind, code=code, choices=choices)
