"""What was in force for a call type on a day: check a complaint against what agents were told."""

from __future__ import annotations

from flask import render_template, request

from app.core.security import allow
from app.errors import ServiceError
from app.queries import listings
from app.queries.point_in_time import in_force as versions_in_force
from app.web.shared import bp
from app.web.shared.refusals import refusal_text


@bp.get("/bulletins/in-force")
@allow("agent", "trainer", "manager", "admin")
def in_force():
    """Pick a call type and a day; see the bulletin versions and facts that applied then."""
    skills = listings.skills()
    skill, day = request.args.get("skill"), request.args.get("date")
    context = {"skills": skills, "skill": skill or "", "day": day or "", "answer": None,
               "error": None, "field": None}
    if skill is None and day is None:
        return render_template("web/in_force.html", **context)
    try:
        context["answer"] = versions_in_force(skill, day)
    except ServiceError as error:
        context.update(error=refusal_text(error), field=error.field)
        return render_template("web/in_force.html", **context), error.status
    return render_template("web/in_force.html", **context)
