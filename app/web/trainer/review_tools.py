"""Trainers: the review page's tools — approve the items a trainer has ticked, and the
preview that draws one attempt exactly as agents get it."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import ngettext
from flask_login import current_user

from app.core.security import allow
from app.errors import ServiceError
from app.services.content import bulletins, item_commands, review_board
from app.web.shared.refusals import refusal_text
from app.web.trainer import TRAINERS, back_to_review, bp


@bp.post("/bulletins/<slug>/items/approve")
@allow(*TRAINERS)
def approve_selected(slug: str):
    """Approve the ticked items, and only those (one button under the list)."""
    try:
        count = item_commands.approve_selected(slug, request.form.getlist("items"),
                                               current_user)
    except ServiceError as error:
        flash(refusal_text(error), "error")
        return back_to_review(slug, "bulk-h")
    flash(ngettext("%(num)d item approved.", "%(num)d items approved.", count), "ok")
    return back_to_review(slug, "bulk-h")


@bp.get("/bulletins/<slug>/preview")
@allow(*TRAINERS)
def preview_quiz(slug: str):
    """One attempt as an agent would get it now: the real draw, with a fresh seed."""
    version = bulletins.latest_version(slug)
    refusal = None
    try:
        items = review_board.preview(version)
    except ServiceError as error:  # a critical fact without an approved item
        items, refusal = [], refusal_text(error)
    return render_template("trainer/preview.html", version=version, items=items,
                           plan=review_board.plan(version), refusal=refusal)
