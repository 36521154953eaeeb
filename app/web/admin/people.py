"""People on the web: list, create, edit (roles included), deactivate and reactivate,
invitations, and the API tokens of a person (an integration account's are issued here)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user

from app.core.security import allow
from app.domain.people import ROLES, PersonInput
from app.errors import NotFound, ServiceError
from app.models import utcnow
from app.services.accounts import audit_log, invitations
from app.services.accounts import people as people_service
from app.services.accounts import tokens as token_service
from app.services.accounts.directory import teams_and_skills
from app.web.admin import bp
from app.web.admin.forms import ActiveForm, PersonForm, PersonTokenForm
from app.web.shared.refusals import refusal_text

AUDIT_ACTIONS = {
    "person_created": lazy_gettext("created"),
    "person_updated": lazy_gettext("details saved"),
    "role_changed": lazy_gettext("role changed"),
    "deactivated": lazy_gettext("deactivated"),
    "reactivated": lazy_gettext("reactivated"),
    "invitation_sent": lazy_gettext("invitation sent"),
    "invitation_accepted": lazy_gettext("invitation accepted, password set"),
    "password_reset_requested": lazy_gettext("password reset asked for"),
    "password_reset": lazy_gettext("password reset"),
    "token_issued": lazy_gettext("API token issued"),
    "token_revoked": lazy_gettext("API token revoked"),
}
bp.context_processor(lambda: {"audit_action": lambda a: AUDIT_ACTIONS.get(a, a)})


def _with_choices(form: PersonForm) -> PersonForm:
    teams, skills = teams_and_skills()
    form.team.choices = [("", _("(no team)"))] + [(t.code, f"{t.code} · {t.name}") for t in teams]
    form.managed.choices = [(t.code, f"{t.code} · {t.name}") for t in teams]
    form.skills.choices = [(s.code, f"{s.code} · {s.name}") for s in skills]
    return form


def _input(form: PersonForm) -> PersonInput:
    return PersonInput(role=form.role.data or "", name=form.name.data or "",
                       email=form.email.data or "", external_id=form.external_id.data or "",
                       team=form.team.data or "", skills=tuple(form.skills.data or ()),
                       managed=tuple(form.managed.data or ()), locale=form.locale.data or "")


def _field_error(form, error: ServiceError, default: str) -> None:
    field = getattr(form, error.field or default, None) or getattr(form, default)
    field.errors = [*field.errors, refusal_text(error)]


def _query() -> people_service.PeopleQuery:
    args = request.args
    active = {"yes": True, "no": False}.get(args.get("active", ""))
    role = args.get("role", "") if args.get("role", "") in ROLES else ""
    page = args.get("page", "1")
    return people_service.PeopleQuery(text=args.get("q", "")[:200], role=role,
                                      team=args.get("team", "")[:64], active=active,
                                      page=int(page) if page.isdigit() and len(page) < 7 else 1)


@bp.get("/people")
@allow("admin")
def people():
    """Everyone, searchable by name, e-mail or external id; filtered by role, team, activity;
    fifty to a page."""
    query = _query()
    teams, _skills = teams_and_skills()
    return render_template("admin/people.html", result=people_service.list_people(query),
                           query=query, teams=teams, roles=ROLES)


def _send_invitation(user) -> None:
    try:
        _sent, failed = invitations.invite([user.id], actor=current_user)
    except ServiceError as error:
        flash(_("No invitation was sent: %(reason)s", reason=refusal_text(error)),
              "error")
        return
    if failed:
        flash(_("The invitation to %(email)s could not be sent; try again from this page.",
                email=user.email), "error")
    else:
        flash(_("Invitation sent to %(email)s.", email=user.email), "ok")


@bp.route("/people/new", methods=["GET", "POST"])
@allow("admin")
def new_person():
    """Create a person of any role; optionally send the invitation at once."""
    form = _with_choices(PersonForm())
    if form.validate_on_submit():
        try:
            user = people_service.create_person(current_user, _input(form))
        except ServiceError as error:
            _field_error(form, error, "email")
        else:
            flash(_("Created %(name)s (%(email)s).", name=user.name, email=user.email), "ok")
            if form.invite.data and user.role != "integration":  # machines use tokens
                _send_invitation(user)
            return redirect(url_for("admin.person", person_id=user.id))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/person_new.html", form=form), status


def _person_page(user, form=None, token_form=None, secret=None, created=None, status=200):
    if form is None:
        form = _with_choices(PersonForm(formdata=None, data=people_service.as_input(user)
                                        .__dict__))
    return render_template(
        "admin/person.html", person=user, form=form, active_form=ActiveForm(),
        token_form=token_form or PersonTokenForm(formdata=None),
        tokens=token_service.tokens_of(user.id), state=token_service.token_state,
        now=utcnow(), secret=secret, created=created,
        history=audit_log.entries_about(user.id)), status


@bp.get("/people/<int:person_id>")
@allow("admin")
def person(person_id: int):
    """One person: details to edit, role, activity, invitation, tokens, history."""
    try:
        user = people_service.get_person(person_id)
    except NotFound:
        abort(404)
    return _person_page(user)


@bp.post("/people/<int:person_id>")
@allow("admin")
def edit_person(person_id: int):
    """Save a person's details and role (a role change is audited)."""
    user = people_service.get_person(person_id)
    form = _with_choices(PersonForm())
    if form.validate_on_submit():
        try:
            people_service.update_person(current_user, person_id, _input(form))
        except ServiceError as error:
            _field_error(form, error, "email")
        else:
            flash(_("Saved %(name)s.", name=form.name.data.strip()), "ok")
            return redirect(url_for("admin.person", person_id=person_id))
    return _person_page(user, form=form, status=400)


@bp.post("/people/<int:person_id>/active")
@allow("admin")
def set_person_active(person_id: int):
    """Deactivate or reactivate a person (agents through the directory's path)."""
    form = ActiveForm()
    if not form.validate_on_submit():
        flash(_("active: choose deactivate or reactivate"), "error")
        return redirect(url_for("admin.person", person_id=person_id))
    active = form.active.data == "1"
    user, changed = people_service.set_active(current_user, person_id, active)
    if changed:
        flash(_("%(name)s is active again.", name=user.name) if active else
              _("%(name)s is deactivated: they can no longer sign in.", name=user.name), "ok")
    return redirect(url_for("admin.person", person_id=person_id))


@bp.post("/people/<int:person_id>/invitation")
@allow("admin")
def invite_person(person_id: int):
    """Send (again) an invitation; any earlier invitation link stops working."""
    _send_invitation(people_service.get_person(person_id))
    return redirect(url_for("admin.person", person_id=person_id))


@bp.post("/people/<int:person_id>/tokens")
@allow("admin")
def person_token(person_id: int):
    """Issue an API token acting as this person; shown once. An admin's needs confirming."""
    user = people_service.get_person(person_id)
    form = PersonTokenForm()
    if not form.validate_on_submit():
        return _person_page(user, token_form=form, status=400)
    try:
        record, secret = token_service.issue_token(
            user.email, form.name.data, form.expires_on.data,
            confirm_admin=form.confirm_admin.data, actor=current_user)
    except ServiceError as error:
        _field_error(form, error, "name")
        return _person_page(user, token_form=form, status=400)
    page, status = _person_page(user, created=record, secret=secret)
    return page, status, {"Cache-Control": "no-store"}
