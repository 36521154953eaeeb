"""Trainers: the guided editor, a form and a fact table beside the bulletin's Markdown.

The form is written as a bulletin file (``app/domain/bulletin/form.py``) and that file is
what is checked, previewed and saved, exactly as if it had been pasted into the Markdown
editor: the same parser, the same rules for ids and versions (``app/services/drafts.py``).
The parser's problems are shown at the field or fact row whose line they name; nothing the
trainer typed is lost on any refusal. ``guided_preview`` answers a live preview as an HTML
fragment for ``app/static/guided.js``; without script the *Preview* button does the same.
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import HiddenField
from wtforms.validators import Length, Optional

from app.core.i18n import current_locale
from app.core.security import allow
from app.domain.bulletin.form import BulletinForm, FactRow, copy_id, form_from_doc, render_form
from app.domain.bulletin.form import place_problems as place
from app.domain.bulletin.format import parse_bulletin
from app.domain.bulletin.types import ContentError
from app.domain.generation import generate_items
from app.domain.markup import render_markdown
from app.services.content import bulletins, drafts
from app.web.shared.refusals import problem_text, refusal_text
from app.web.trainer import TRAINERS, bp
from app.web.trainer.editor import _act
from app.web.trainer.forms import BulletinForm as SourceForm
from app.web.trainer.guided_fields import (
    TEMPLATES,
    all_slugs,
    apply_row_action,
    choices,
    form_from_request,
    from_template,
)
from app.web.trainer.guided_translation import agreement, originals, start, to_translate


class GuidedForm(FlaskForm):
    """The CSRF token, and for a new version the bulletin's id and the edit token."""

    edit = HiddenField(validators=[Optional(), Length(max=80)])
    revision = HiddenField(validators=[Optional(), Length(max=40)])


@bp.errorhandler(CSRFError)
def _expired(error: CSRFError):
    """A guided form sent without a valid token (an expired session) comes back with
    everything typed; other trainer pages answer the usual 400."""
    if request.endpoint == "trainer.guided_preview":
        return render_template("trainer/_guided_preview.html", expired=True), 400
    if request.endpoint != "trainer.guided" or request.form.get("action") == "from_source":
        return error
    page = _page(GuidedForm())
    page["model"] = form_from_request(request.form)
    page["errors"] = [_("The form expired or was sent twice: check it and send it again. "
                        "Nothing was saved.")]
    return _render(page, 400)


@bp.route("/bulletins/guided", methods=["GET", "POST"])
@allow(*TRAINERS)
def guided():
    """The guided editor: ``?template=``, ``?copy=slug`` or ``?translate=slug`` to start from,
    ``?edit=slug`` for a new version; POST previews, saves, or adds/moves/removes a fact row."""
    form = GuidedForm()
    page = _page(form)
    if request.method == "GET":
        page["model"] = _start(form, page)
        return _render(page, page.pop("status", None) or 200)
    action = request.form.get("action")
    if action == "from_source":
        return _from_source(form, page)
    model = page["model"] = form_from_request(request.form)
    if not form.validate_on_submit():
        page["errors"] = [_("The form expired or was sent twice: check it and send it again. "
                            "Nothing was saved.")]
        return _render(page, 400)
    if apply_row_action(model, action):
        return _render(page)
    return _check(form, page, model, action)


def _page(form: GuidedForm) -> dict:
    return {"form": form, "model": None, "preview": None, "errors": [], "notice": None,
            "collision": None, "placed": None, "start_error": None}


def _start(form: GuidedForm, page: dict) -> BulletinForm:
    """The form to start from: a template, a copy under a new id, a version to edit."""
    if request.args.get("template") in TEMPLATES:
        page["notice"] = _("Started from the template “%(name)s”: fill in the id, the date "
                           "and the call types, and replace the example values.",
                           name=TEMPLATES[request.args["template"]])
        return from_template(request.args["template"])
    if request.args.get("copy"):
        source = bulletins.latest_version(request.args["copy"])
        model = form_from_doc(parse_bulletin(source.source))
        model.slug = copy_id(source.slug, all_slugs())
        page["notice"] = _("A copy of “%(title)s” under the new id %(id)s: saving makes a new "
                           "bulletin, never a version of the original.", title=source.title,
                           id=model.slug)
        return model
    if request.args.get("translate"):
        model, message = start(request.args["translate"])
        if model is not None:
            page["notice"] = message
            return model
        page["start_error"], page["status"] = message, 404
    if request.args.get("edit"):
        current = bulletins.latest_version(request.args["edit"])
        form.edit.data, form.revision.data = current.slug, drafts.edit_token(current)
        return form_from_doc(parse_bulletin(current.source))
    return BulletinForm(lang=current_locale(), facts=[FactRow()])


def _from_source(form: GuidedForm, page: dict):
    """Open the Markdown editor's text here, previewed; a file that does not parse stays in
    the Markdown editor with its problems (the form could not hold it)."""
    source = (request.form.get("source") or "").replace("\r\n", "\n")
    if form.validate_on_submit():
        try:
            # the file's structure only: an unknown call type or team is shown at its field
            page["model"] = form_from_doc(parse_bulletin(source))
            return _check(form, page, page["model"], "preview")
        except ContentError as error:
            errors = [problem_text(e) for e in error.errors]
    else:
        errors = [_("The form expired or was sent twice: check it and send it again. "
                    "Nothing was saved.")]
    editor = SourceForm(formdata=None, source=source, edit=form.edit.data,
                        revision=form.revision.data)
    errors.insert(0, _("The guided editor opens a bulletin that has no problems: correct "
                       "these first."))
    return render_template("trainer/new.html", form=editor, preview=None, errors=errors,
                           notice=None, collision=None), 400


def _check(form: GuidedForm, page: dict, model: BulletinForm, action: str | None):
    """Parse the form's file: problems at their fields, else preview or save it."""
    rendered = render_form(model)
    try:
        doc = bulletins.parse_source(rendered.text)
    except ContentError as error:
        page["placed"] = _placed(error.errors, rendered)
        return _render(page, 400)
    disagreeing = agreement(model, doc)  # a translation must agree with its original
    if disagreeing and action in ("save", "as_new"):
        page["placed"] = disagreeing
        return _render(page, 400)
    done = _act(action, form, doc, rendered.text, page)
    if done is not None:
        return done
    if page["collision"] and page["errors"]:
        page["placed"] = {"fields": {"slug": list(page["errors"])}, "rows": {}, "general": [],
                          "lines": {}}
    elif disagreeing:
        page["placed"] = disagreeing
    return _render(page, page.pop("status", None) or (400 if page["errors"] else 200))


def _placed(problems, rendered) -> dict:
    """The parser's problems, translated, by field and fact row (each with its line)."""
    placed = place(problems, rendered)

    def text(problem) -> str:
        return _("line %(n)d: %(message)s", n=problem.line,
                 message=refusal_text(problem))

    return {"fields": {name: [text(p) for p in ps] for name, ps in placed.fields.items()},
            "rows": {row: [text(p) for p in ps] for row, ps in placed.rows.items()},
            "general": [text(p) for p in placed.general],
            "lines": _by_line(problems)}


def _by_line(problems) -> dict[int, list[str]]:
    lines: dict[int, list[str]] = {}
    for problem in problems:
        lines.setdefault(problem.line, []).append(refusal_text(problem))
    return lines


def _render(page: dict, status: int = 200):
    model = page["model"]
    rendered = render_form(model)
    return render_template("trainer/guided.html", **page, rendered=rendered,
                           source_lines=rendered.text.splitlines(), choices=choices(model),
                           originals=originals(model), todo=to_translate(model),
                           translatable=originals(BulletinForm(lang="")),
                           templates=TEMPLATES), status


@bp.post("/bulletins/guided/preview")
@allow(*TRAINERS)
def guided_preview():
    """The live preview, an HTML fragment: the rendered bulletin, the before/after table and
    the generated items, or the problems by field and line. Takes the guided form's fields,
    or a whole bulletin as ``source``. Nothing is saved."""
    form = GuidedForm()
    if not form.validate_on_submit():
        return render_template("trainer/_guided_preview.html", expired=True), 400
    if "source" in request.form:
        text, rendered = request.form["source"].replace("\r\n", "\n"), None
    else:
        rendered = render_form(form_from_request(request.form))
        text = rendered.text
    preview, placed = None, None
    try:
        doc = bulletins.parse_source(text)
    except ContentError as error:
        placed = _placed(error.errors, rendered) if rendered else {
            "fields": {}, "rows": {}, "general": [problem_text(e) for e in error.errors],
            "lines": _by_line(error.errors)}
    else:
        preview = {"doc": doc, "html": render_markdown(doc.body), "items": generate_items(doc)}
        placed = agreement(form_from_doc(doc) if rendered is None
                           else form_from_request(request.form), doc)
    return render_template("trainer/_guided_preview.html", preview=preview, placed=placed,
                           source_lines=text.splitlines(), expired=False)
