"""Directory sync by CSV upload; new teams and skills."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..domain.directory import FIELDS, RowError
from ..security import allow
from ..services import directory
from ..services.directory import InvalidRows
from . import bp
from .forms import CodeForm, DirectoryForm

MAX_FILE_BYTES = 20 * 1024 * 1024


def _read_upload(storage) -> str:
    """The uploaded file's text; InvalidRows (row 1) when it is too big or not UTF-8."""
    data = storage.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidRows([RowError(1, None, "the file is larger than 20 MB; split it")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidRows([RowError(1, None, f"the file is not UTF-8 text (byte {error.start});"
                                             " save it as 'CSV UTF-8'")]) from None


@bp.route("/directory", methods=["GET", "POST"])
@allow("admin")
def directory_upload():
    """Upload a directory CSV: every row checked first; all or nothing."""
    form = DirectoryForm()
    report, errors = None, []
    if form.validate_on_submit():
        try:
            report = directory.import_csv(_read_upload(form.file.data))
        except InvalidRows as error:
            errors = error.errors
    status = 400 if errors or (request.method == "POST" and form.errors) else 200
    return render_template("admin/directory.html", form=form, report=report, errors=errors,
                           columns=FIELDS), status


def _create(kind: str, create) -> str:
    form = CodeForm(prefix=kind)
    if not form.validate_on_submit():
        for field, messages in form.errors.items():
            flash(f"{kind} {field}: {'; '.join(messages)}", "error")
        return redirect(url_for("admin.home") + f"#{kind}s")
    row = create(form.code.data, form.name.data)
    flash(_("Created %(kind)s %(code)s (%(name)s).", kind=_(kind), code=row.code, name=row.name),
          "ok")
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
