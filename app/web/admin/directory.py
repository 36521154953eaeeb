"""Directory sync by CSV upload; new teams and skills."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user

from app.core.security import allow
from app.domain.directory import FIELDS, RowError
from app.services.accounts import directory
from app.services.accounts.directory import InvalidRows
from app.services.accounts.invitations import MailNotConfigured
from app.web.admin import bp
from app.web.admin.forms import CodeForm, DirectoryForm
from app.web.shared.refusals import refusal_text, row_problem

MAX_FILE_BYTES = 20 * 1024 * 1024
FIELD_PROBLEMS = {  # a field of the new team or skill form, and what is wrong with it
    ("team", "code"): lazy_gettext("team code: %(problems)s"),
    ("team", "name"): lazy_gettext("team name: %(problems)s"),
    ("skill", "code"): lazy_gettext("skill code: %(problems)s"),
    ("skill", "name"): lazy_gettext("skill name: %(problems)s"),
}


def _read_upload(storage) -> str:
    """The uploaded file's text; InvalidRows (row 1) when it is too big or not UTF-8."""
    data = storage.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidRows([RowError(1, None, "csv_too_large")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidRows([RowError(1, None, "csv_not_utf8", {"byte": error.start})]) from None


@bp.route("/directory", methods=["GET", "POST"])
@allow("admin")
def directory_upload():
    """Upload a directory CSV: every row checked first; all or nothing."""
    form = DirectoryForm()
    report, errors = None, []
    if form.validate_on_submit():
        try:
            report = directory.import_csv(_read_upload(form.file.data),
                                          invite=form.invite.data, actor=current_user)
        except InvalidRows as error:
            errors = [row_problem(e) for e in error.errors]
        except MailNotConfigured as error:
            form.invite.errors = [refusal_text(error)]
    status = 400 if errors or (request.method == "POST" and form.errors) else 200
    return render_template("admin/directory.html", form=form, report=report, errors=errors,
                           columns=FIELDS, invite=form.invite.data), status


def _create(kind: str, create) -> str:
    form = CodeForm(prefix=kind)
    if not form.validate_on_submit():
        for field, messages in form.errors.items():
            problems, text = "; ".join(messages), FIELD_PROBLEMS.get((kind, field))
            flash(str(text) % {"problems": problems} if text else
                  _("%(field)s: %(problems)s", field=field, problems=problems), "error")
        return redirect(url_for("admin.home") + f"#{kind}s")
    row = create(form.code.data, form.name.data)
    text = (_("Created team %(code)s (%(name)s).", code=row.code, name=row.name)
            if kind == "team" else
            _("Created skill %(code)s (%(name)s).", code=row.code, name=row.name))
    flash(text, "ok")
    return redirect(url_for("admin.home") + f"#{kind}s")


@bp.post("/teams")
@allow("admin")
def add_team():
    """Create a team."""
    return _create("team", directory.create_team)


@bp.post("/skills")
@allow("admin")
def add_skill():
    """Create a skill (call type)."""
    return _create("skill", directory.create_skill)
