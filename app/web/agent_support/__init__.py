"""Supporting agents (managers of their teams, admins): assignments, attempts, retake
unlocks (rule 7) and the eligibility audit ("was this agent cleared then, and why")."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.security import allow
from app.errors import ServiceError
from app.queries import audit
from app.services.certification import support, support_commands
from app.web.shared.refusals import refusal_text

bp = Blueprint("support", __name__, url_prefix="/support")

SUPPORTERS = ("manager", "admin")


@bp.errorhandler(ServiceError)
def refusal(error: ServiceError):
    """A refused support action: say why, in the reader's language, on the page before."""
    flash(refusal_text(error), "error")
    return redirect(request.referrer or url_for("web.index"))


@bp.get("/")
@allow(*SUPPORTERS)
def index():
    """Find an agent of my teams by name, email or external id."""
    text = (request.args.get("q") or "").strip()
    return render_template("support/index.html", q=text,
                           agents=support.agents_in_scope(current_user, text or None))


@bp.get("/agents/<external_id>")
@allow(*SUPPORTERS)
def agent(external_id: str):
    """The old address of an agent's support page: one agent page now holds readiness,
    answers and the unlock buttons (``manager.agent``)."""
    support.agent_in_scope(current_user, external_id)  # still "not found" outside my teams
    return redirect(url_for("manager.agent", external_id=external_id), 301)


@bp.post("/agents/<external_id>/unlock")
@allow(*SUPPORTERS)
def unlock(external_id: str):
    """Lift the cooldown and daily cap of the agent on one bulletin (rule 7)."""
    slug = (request.form.get("bulletin") or "").strip()
    if not slug:
        raise ServiceError("unlock_bulletin_required", field="bulletin")
    assignment = support_commands.unlock(current_user, external_id, slug)
    flash(_("Unlocked: the agent may take the quiz of “%(title)s” again now.",
            title=assignment.version.title), "ok")
    return redirect(url_for("manager.agent", external_id=external_id) + "#assign-h")


@bp.get("/agents/<external_id>/audit")
@allow(*SUPPORTERS)
def audit_page(external_id: str):
    """Was the agent cleared at a past time, for which skills, and why."""
    user = support.agent_in_scope(current_user, external_id)
    raw, skill = request.args.get("time"), request.args.get("skill") or None
    report, error = None, None
    if raw:
        try:
            report = audit.eligibility_at(user, audit.parse_instant(raw), skill)
        except ServiceError as refused:  # shown beside the form, not as a redirect
            error = refusal_text(refused)
    page = render_template("support/audit.html", agent=user, time=raw or "", skill=skill,
                           report=report, error=error)
    return page, 400 if error else 200
