"""Trainers: write a bulletin, preview it, review its generated items, publish."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.core.security import allow
from app.errors import NotFound, ServiceError
from app.queries import listings
from app.services.certification.assignments import read_receipts
from app.services.content import (
    bulletins,
    drafts,
    item_commands,
    lifecycle,
    review,
    review_board,
    translations,
)
from app.web.shared.refusals import refusal_handler, refusal_text
from app.web.trainer.forms import ItemForm, PublishForm

bp = Blueprint("trainer", __name__, url_prefix="/trainer")
# the reason, in the trainer's language
bp.register_error_handler(ServiceError, refusal_handler("trainer.home"))
TRAINERS = ("trainer", "admin")


def back_to_review(slug: str, anchor: str = ""):
    """The review page again, with the filters the trainer had (form fields ``show`` and
    ``only``), at ``anchor``."""
    status = request.form.get("show") or None
    status = status if status in review_board.STATUSES and status != "all" else None
    target = url_for("trainer.bulletin", slug=slug, status=status,
                     fact=request.form.get("only") or None)
    return redirect(target + (f"#{anchor}" if anchor else ""))


@bp.get("/")
@allow(*TRAINERS)
def home():
    """Every bulletin with its newest version."""
    rows = listings.bulletins_newest_first()
    return render_template("trainer/home.html", bulletins=[(b, b.versions[-1]) for b in rows
                                                           if b.versions],
                           lives=lifecycle.lifecycles([v for b in rows for v in b.versions]))


@bp.get("/bulletins/<slug>")
@allow(*TRAINERS)
def bulletin(slug: str):
    """A bulletin's newest version: preview, facts, items to review (filtered by status and
    fact), publish with what agents will get."""
    version = bulletins.latest_version(slug)
    try:
        status, fact = review_board.check_filters(version, request.args.get("status"),
                                                  request.args.get("fact"))
    except ServiceError as error:
        return render_template("errors/status.html", status=400,
                               message=refusal_text(error)), 400
    facts = review_board.summary(version)
    # A draft has no readers yet: the receipts shown are the newest published version's.
    read = next((v for v in reversed(version.bulletin.versions) if v.status != "draft"), None)
    return render_template("trainer/bulletin.html", version=version, form=PublishForm(),
                           standing=lifecycle.standing(version, history=True),
                           receipts=read_receipts(read) if read else [], receipts_version=read,
                           coverage=[refusal_text(p) for p in review.coverage_gaps(version)],
                           advice=[refusal_text(w) for w in review.generation_advice(version)],
                           first_version=drafts.first_publication(version),
                           events=drafts.history(slug), summary=facts,
                           plan=review_board.plan(version, facts), show=status, only=fact,
                           shown=review_board.shown(version, status, fact),
                           pairs=[] if version.translation_of else translations.pair_states(slug))


@bp.post("/bulletins/<slug>/items/<item_key>")
@allow(*TRAINERS)
def item_status(slug: str, item_key: str):
    """Approve, retire or return an item to draft."""
    item_commands.update_item(slug, item_key, {"status": request.form.get("status", "")},
                              current_user)
    return back_to_review(slug, f"item-{item_key}")


@bp.post("/bulletins/<slug>/approve-all")
@allow(*TRAINERS)
def approve_all(slug: str):
    """Approve every draft item of the draft version at once."""
    item_commands.approve_all(slug, current_user)
    flash(_("All draft items approved."), "ok")
    return redirect(url_for("trainer.bulletin", slug=slug))


@bp.post("/bulletins/<slug>/publish")
@allow(*TRAINERS)
def publish(slug: str):
    """Publish the draft as a material or minor change."""
    form = PublishForm()
    if not form.validate_on_submit():
        flash(_("Choose whether the change is material or minor."), "error")
        return redirect(url_for("trainer.bulletin", slug=slug))
    version = item_commands.publish(slug, form.change.data)
    untested = review_board.plan(version).untested
    flash(_("Published. Agents holding its skills now see it on their home page."), "ok")
    if untested:
        flash(_("Agents are not asked about these facts (no approved item): %(facts)s.",
                facts=", ".join(f"{f.label} ({f.key})" for f in untested)), "warn")
    return redirect(url_for("trainer.bulletin", slug=slug))


@bp.route("/bulletins/<slug>/items/<item_key>/edit", methods=["GET", "POST"])
@allow(*TRAINERS)
def edit_item(slug: str, item_key: str):
    """Edit an item's question, options and explanation (draft versions only)."""
    version = bulletins.latest_version(slug)
    item = item_commands.find_item(version, item_key)
    form = ItemForm()
    if request.method == "GET":
        form.stem.data, form.explanation.data = item.stem, item.explanation
        for entry, option in zip(form.options.entries, item.options, strict=False):
            entry.data = option.text
        form.correct.data = str(next((n for n, o in enumerate(item.options) if o.correct), 0))
        form.loaded.data = review_board.fingerprint(item)
    if form.validate_on_submit():
        try:
            item_commands.edit_item(
                slug, item_key, lambda row: form.changes([o.source for o in row.options]),
                current_user, loaded=form.loaded.data)
        except ServiceError as error:  # shown again with the trainer's text and the reason
            if error.code == "item_changed":  # saving again now replaces theirs on purpose
                form.loaded.data = error.details["current"]
            return _item_page(form, version, item, error)
        flash(_("Item saved."), "ok")
        return redirect(url_for("trainer.bulletin", slug=slug) + f"#item-{item_key}")
    return _item_page(form, version, item)


def _item_page(form, version, item, error: ServiceError | None = None):
    """The item form as submitted, with the service's refusal (translated) if any."""
    status = error.status if error else (400 if form.errors else 200)
    return render_template("trainer/item_form.html", form=form, version=version, item=item,
                           refusal=refusal_text(error) if error else None,
                           changed=error is not None and error.code == "item_changed"), status


@bp.route("/bulletins/<slug>/items/new", methods=["GET", "POST"])
@allow(*TRAINERS)
def new_item(slug: str):
    """Write an item by hand for one of the bulletin's facts."""
    version = bulletins.latest_version(slug)
    form = ItemForm()
    form.fact.choices = [SelectChoice(f.key, f"{f.key} — {f.label}") for f in version.facts]
    if request.method == "GET":
        form.fact.data = request.args.get("fact")
    if form.validate_on_submit():
        try:
            item = item_commands.add_item(
                slug, {"fact": form.fact.data, **form.changes([])}, current_user)
        except ServiceError as error:  # shown again with the trainer's text and the reason
            return _item_page(form, version, None, error)
        flash(_("Item added as a draft."), "ok")
        return redirect(url_for("trainer.bulletin", slug=slug) + f"#item-{item.key}")
    return _item_page(form, version, None)


@bp.post("/bulletins/<slug>/regenerate")
@allow(*TRAINERS)
def regenerate(slug: str):
    """Regenerate the draft's items, keeping what a trainer edited, approved or wrote."""
    count = item_commands.regenerate(slug)
    flash(_("Items regenerated: %(count)d.", count=count), "ok")
    return redirect(url_for("trainer.bulletin", slug=slug))


@bp.get("/bulletins/<slug>/export.<fmt>")
@allow(*TRAINERS)
def export_items(slug: str, fmt: str):
    """Download the items as Moodle GIFT (.gift) or Moodle XML (.xml)."""
    if fmt not in ("gift", "xml"):
        raise NotFound("no_export_format", fmt=fmt)
    text = review.export_bank(bulletins.latest_version(slug), fmt)
    mime = "application/xml" if fmt == "xml" else "text/plain"
    return text, 200, {"Content-Type": f"{mime}; charset=utf-8",
                       "Content-Disposition": f'attachment; filename="{slug}.{fmt}"'}


# Routes in their own modules, registered on this blueprint (imported last: they use bp).
from app.web.trainer import (  # noqa: E402,F401
    editor,  # write a bulletin or a new version; drafts
    guided,  # the guided editor: form, fact table, live preview
    review_tools,  # bulk approve, the preview drawn as an attempt
    statistics,  # item statistics routes
    versions,  # version history, view and diff routes
)
