"""An agent's own assignments, attempts and eligibility."""

from __future__ import annotations

from flask import g, jsonify

from app.api import bp
from app.api.body import field, json_body
from app.core.security import allow
from app.queries.eligibility_view import eligibility_document
from app.services.certification import attempts
from app.services.certification.assignments import statuses
from app.services.certification.feedback import review_document
from app.services.certification.quiz_rules import rules_document, rules_for


def _attempt_json(attempt) -> dict:
    saved = attempts.answers_of(attempt)
    return {
        "id": attempt.id,
        "bulletin": attempt.version.slug,
        "version": attempt.version.number,
        "status": attempt.status,
        "started_at": attempt.started_at.isoformat(),
        "deadline_at": attempt.deadline_at.isoformat() if attempt.deadline_at else None,
        "items": [attempts.item_for_agent(entry) for entry in attempt.items],
        "answers": {str(k): v.option_id for k, v in saved.items() if v.option_id is not None},
        "result": graded_result(attempt),
    }


def graded_result(attempt) -> dict | None:
    """The graded result with its ``review`` (the key and explanations the bulletin's review
    policy allows); None until graded (rule 9)."""
    if attempt.result is None:
        return None
    return {**attempt.result, "review": review_document(attempt)}


@bp.get("/me/assignments")
@allow("agent", api=True)
def my_assignments():
    """What I must pass, with due dates and status, and the rules before I start."""
    mine = statuses(g.api_user)
    rules = rules_for(g.api_user, [s.shown for s in mine])
    return jsonify({"assignments": [
        {
            "bulletin": s.shown.slug,
            "version": s.shown.number,
            "title": s.shown.title,
            "due": s.assignment.due_at.isoformat(),
            "status": s.state,
            "certified_until": s.certified_until.isoformat() if s.certified_until else None,
            "last_score": s.last_score,
            "attempt_in_progress": s.in_progress_attempt,
            **rules_document(rules[s.shown.id]),
        }
        for s in mine
    ]})


@bp.post("/me/attempts")
@allow("agent", api=True)
def start_attempt():
    """Start (or resume) my attempt on a bulletin's quiz."""
    slug = field(json_body(), "bulletin", str)
    attempt = attempts.start(g.api_user, slug)
    return jsonify(_attempt_json(attempt)), 201


@bp.get("/me/attempts/<id:attempt_id>")
@allow("agent", api=True)
def get_attempt(attempt_id: int):
    """Resume: the attempt with my saved answers."""
    return jsonify(_attempt_json(attempts.own_attempt(g.api_user, attempt_id)))


@bp.put("/me/attempts/<id:attempt_id>/answers/<id:item_id>")
@allow("agent", api=True)
def save_answer(attempt_id: int, item_id: int):
    """Autosave one answer."""
    data = json_body()
    option = field(data, "option", int)
    seq = field(data, "seq", int, required=False)
    answer = attempts.save_answer(g.api_user, attempt_id, item_id, option, seq)
    return jsonify({"item": item_id, "option": answer.option_id, "seq": answer.seq,
                    "saved_at": answer.saved_at.isoformat()})


@bp.post("/me/attempts/<id:attempt_id>/submit")
@allow("agent", api=True)
def submit_attempt(attempt_id: int):
    """Grade my attempt once; repeating the call returns the same result.

    ``review`` adds the items with the key and explanations the review policy allows.
    """
    attempts.submit(g.api_user, attempt_id)
    return jsonify(graded_result(attempts.own_attempt(g.api_user, attempt_id)))


@bp.get("/me/eligibility")
@allow("agent", api=True)
def my_eligibility():
    """My own eligibility."""
    return jsonify(eligibility_document(g.api_user))
