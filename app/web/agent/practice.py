"""Today's practice: up to three questions on facts the agent may be forgetting."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from app.core.security import allow
from app.errors import ServiceError
from app.services.certification import practice
from app.web.agent import bp


def _whole(raw, name: str) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ServiceError("whole_number_required", field=name, field_name=name,
                           value=repr(raw)) from None


@bp.get("/practice")
@allow("agent")
def practice_page():
    """The questions due today, and the feedback on the answer just given."""
    answered = _whole(request.args.get("answered"), "answered")
    feedback = practice.answer_feedback(current_user, answered) if answered else None
    return render_template("agent/practice.html", questions=practice.today(current_user),
                           feedback=feedback)


@bp.post("/practice/<int:card_id>")
@allow("agent")
def practice_answer(card_id: int):
    """Check one practice answer on the server; it reschedules the fact, nothing else."""
    review = practice.answer(current_user, card_id, _whole(request.form.get("item"), "item"),
                             _whole(request.form.get("option"), "option"))
    return redirect(url_for("agent.practice_page", answered=review.id))
