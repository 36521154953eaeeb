"""Trainers: every version of a bulletin, one version as it was, and what changed between two."""

from __future__ import annotations

from flask import render_template, request

from app.core.security import allow
from app.errors import ServiceError
from app.services.content import lifecycle, versions
from app.web.shared.refusals import refusal_text
from app.web.trainer import TRAINERS, bp


def _refused(error: ServiceError):
    """A page that says what is wrong with the address (bad or unknown version)."""
    return render_template("errors/status.html", status=error.status,
                           message=refusal_text(error)), error.status


@bp.get("/bulletins/<slug>/versions/<int:number>")
@allow(*TRAINERS)
def version(slug: str, number: int):
    """One version exactly as it was published (or drafted), with its lifecycle."""
    try:
        shown = versions.get_version(slug, number)
    except ServiceError as error:
        return _refused(error)
    return render_template("trainer/version.html", version=shown,
                           standing=lifecycle.standing(shown, history=True))


@bp.get("/bulletins/<slug>/diff")
@allow(*TRAINERS)
def diff(slug: str):
    """Side by side: facts added, removed and changed, and the bulletin file line by line."""
    try:
        comparison = versions.compare(slug, request.args.get("from"), request.args.get("to"))
    except ServiceError as error:
        return _refused(error)
    return render_template("trainer/diff.html", comparison=comparison)
