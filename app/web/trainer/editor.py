"""Trainers: write a new bulletin or, on purpose, a new version of one; discard drafts.

A new bulletin whose id exists is refused with the choice to make it a new version of that
bulletin instead; a new version shows what it changes against the current version before it
is saved. The form carries the edit token it was loaded with: a save over another trainer's
newer edit is refused and the trainer's text is kept.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.security import allow
from app.domain.bulletin.types import ContentError
from app.domain.generation import generate_items
from app.domain.markup import render_markdown
from app.errors import ServiceError
from app.services.content import bulletins, drafts
from app.web.shared.refusals import problem_text, refusal_text
from app.web.trainer import TRAINERS, bp
from app.web.trainer.forms import BulletinForm, DiscardForm


@bp.route("/bulletins/new", methods=["GET", "POST"])
@allow(*TRAINERS)
def new_bulletin():
    """Paste a bulletin: Preview shows the sanitised text, the items and (for a new version)
    the changes; Save stores a draft; ``?edit=slug`` starts a new version of ``slug``."""
    form = BulletinForm()
    if request.method == "GET" and request.args.get("edit"):
        current = bulletins.latest_version(request.args["edit"])
        form.source.data, form.edit.data = current.source, current.slug
        form.revision.data = drafts.edit_token(current)
    page = {"form": form, "preview": None, "errors": [], "notice": None, "collision": None}
    if form.validate_on_submit():
        source = form.source.data.replace("\r\n", "\n")
        try:
            doc = bulletins.parse_source(source)
        except ContentError as error:
            page["errors"] = [problem_text(e) for e in error.errors]
        else:
            done = _act(request.form.get("action"), form, doc, source, page)
            if done is not None:
                return done
    status = page.pop("status", None) or (
        400 if page["errors"] or (request.method == "POST" and form.errors) else 200)
    return render_template("trainer/new.html", **page), status


def _act(action: str | None, form: BulletinForm, doc, source: str, page: dict):
    """Save, or choose a new version, or preview; a response when saved, else None."""
    if action == "as_new":
        form.edit.data = form.revision.data = ""
        action = "save"
    if action == "as_version":
        current = drafts.existing(doc.slug)
        if current is not None:
            form.edit.data, form.revision.data = current.slug, drafts.edit_token(current)
            page["notice"] = _notice(current)
    elif action == "save":
        try:
            version = _save(form, source)
        except ServiceError as error:
            _refusal(error, form, page)
        else:
            flash(_("Draft saved: review the items, then publish."), "ok")
            return redirect(url_for("trainer.bulletin", slug=version.slug))
    _preview(form, doc, page)
    return None


def _notice(current) -> str:
    """What choosing "new version" does: revise a never-published draft, or make version N+1."""
    if current.status == "draft" and drafts.first_publication(current):
        return _("This revises the unpublished draft of “%(title)s” (version %(n)d): check what "
                 "changes below, then save. A first version is always published as material.",
                 title=current.title, n=current.number)
    return _("This will be a new version of “%(title)s”: check what changes below, then save "
             "the draft. You choose whether the change is material or minor when you publish.",
             title=current.title)


def _save(form: BulletinForm, source: str):
    if form.edit.data:
        return drafts.new_version(form.edit.data, source, current_user,
                                  form.revision.data or None).version
    return drafts.create_bulletin(source, current_user)


def _refusal(error: ServiceError, form: BulletinForm, page: dict) -> None:
    """Say why nothing was saved; the trainer's text stays in the form."""
    details = error.details or {}
    page["status"] = error.status
    if error.code == "bulletin_exists":
        page["collision"] = drafts.existing(details["id"])
        page["errors"] = [_("A bulletin with the id %(id)s already exists: “%(title)s”, version "
                            "%(n)d. Give this bulletin an id of its own, or create a new "
                            "version of “%(title)s” instead.", id=details["id"],
                            title=details["title"], n=details["version"])]
    elif error.code == "id_mismatch":
        page["errors"] = [_("The id in the text is %(source)s, but you are writing a new "
                            "version of %(slug)s: a new version keeps its bulletin's id. "
                            "Change the id back, or save the text as a new bulletin.",
                            source=details["source_id"], slug=details["bulletin"])]
        page["as_new"] = True
    elif error.code == "edit_conflict":
        current = drafts.existing(form.edit.data)
        form.revision.data = drafts.edit_token(current)
        page["errors"] = [_conflict_text(current)]
    else:
        page["errors"] = [refusal_text(error)]


def _conflict_text(current) -> str:
    who = current.edited_by.name if current.edited_by else _("another trainer")
    when = current.edited_at.strftime("%Y-%m-%d %H:%M UTC") if current.edited_at else "—"
    return _("Someone saved this bulletin after you opened it: it is now version %(n)d, last "
             "edited by %(who)s at %(when)s. Nothing was saved. Your text is kept below with "
             "what it changes against the saved version; save again to replace it with yours.",
             n=current.number, who=who, when=when)


def _preview(form: BulletinForm, doc, page: dict) -> None:
    """The rendered text, the items and, for a new version, the changes from the current."""
    page["preview"] = {"doc": doc, "html": render_markdown(doc.body),
                       "items": generate_items(doc)}
    current = drafts.existing(form.edit.data) if form.edit.data else None
    if current is not None:
        previous = drafts.Previous.of(current)
        facts, lines = drafts.compare_with(previous, doc.facts, doc.source)
        page["diff"] = {"previous": previous, "facts": facts,
                        "lines": [r for r in lines if r.kind != "equal"]}
    elif not page["collision"] and not form.edit.data:
        page["collision"] = drafts.existing(doc.slug)  # warn before the trainer saves


@bp.get("/drafts")
@allow(*TRAINERS)
def drafts_list():
    """Every unpublished draft, the trainer's own first, with who edited it last and when."""
    rows = drafts.drafts()
    mine = [v for v in rows if current_user.id in (v.created_by_id, v.edited_by_id)]
    others = [v for v in rows if v not in mine]
    return render_template("trainer/drafts.html", mine=mine, others=others)


@bp.route("/bulletins/<slug>/draft/discard", methods=["GET", "POST"])
@allow(*TRAINERS)
def discard_draft(slug: str):
    """Confirm, then discard the draft version (recorded in the bulletin's history)."""
    draft = bulletins.latest_version(slug)
    form = DiscardForm()
    if request.method == "GET":
        form.revision.data = drafts.edit_token(draft)
    if form.validate_on_submit():
        event = drafts.discard_draft(slug, current_user, form.revision.data or None)
        flash(_("Draft version %(n)d of “%(title)s” discarded.", n=event.number,
                title=event.title), "ok")
        if drafts.existing(slug) is None:
            return redirect(url_for("trainer.home"))
        return redirect(url_for("trainer.bulletin", slug=slug))
    return render_template("trainer/discard.html", version=draft, form=form,
                           has_draft=draft.status == "draft")
