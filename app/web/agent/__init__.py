"""Agents: what is new for me, read a bulletin, take its quiz, see what I am cleared for."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.security import allow
from app.errors import ServiceError
from app.models import utcnow
from app.queries.eligibility_view import eligibility_document
from app.services.certification import agent_commands, attempts, feedback
from app.services.certification.assignments import statuses
from app.services.certification.quiz_rules import rules_for
from app.services.content import lifecycle, translations
from app.services.content.bulletins import latest_version
from app.web.agent.countdown import due_countdown
from app.web.agent.outcome import outcome_by_skill

bp = Blueprint("agent", __name__, url_prefix="/agent")


@bp.get("/")
@allow("agent")
def home():
    """What must I do today: what I must pass (by gate, each with its countdown and one
    button), the call types I am blocked for, the inbox."""
    mine = statuses(current_user)
    todo = sorted((s for s in mine if s.state != "certified"),
                  key=lambda s: (s.assignment.due_at, s.shown.title))
    return render_template("agent/home.html", todo=todo,
                           passed=[s for s in mine if s.state == "certified"],
                           rules=rules_for(current_user, [s.shown for s in todo]),
                           eligibility=eligibility_document(current_user),
                           due_countdown=due_countdown)


@bp.get("/bulletins/<slug>")
@allow("agent")
def bulletin(slug: str):
    """Read the newest published version of a bulletin."""
    version = latest_version(slug, published=True)
    mine = next((s for s in statuses(current_user)
                 if version.id in (s.assignment.version_id, s.shown.id)), None)
    return render_template("agent/bulletin.html", version=version,
                           assignment=mine.assignment if mine else None, status=mine,
                           rules=rules_for(current_user, [version])[version.id],
                           standing=lifecycle.standing(version),
                           other_languages=translations.other_languages(version))


@bp.post("/bulletins/<slug>/acknowledge")
@allow("agent")
def acknowledge(slug: str):
    """"I have read this version": a read receipt trainers and managers see.

    The form names the version the agent read; if a newer one was published meanwhile, no
    receipt is recorded (it would claim a version they have not seen) and they are told.
    """
    read = request.form.get("version", "").strip()
    version, recorded = agent_commands.acknowledge(current_user, slug, read)
    if not recorded:
        flash(_("Version %(n)d was published since you opened this page: read it, then "
                "confirm again.", n=version.number), "error")
        return redirect(url_for("agent.bulletin", slug=slug))
    flash(_("Thank you: your read receipt is recorded."), "ok")
    return redirect(url_for("agent.bulletin", slug=slug))


@bp.post("/bulletins/<slug>/quiz")
@allow("agent")
def start_quiz(slug: str):
    """Start (or resume) the quiz of a bulletin."""
    attempt = attempts.start(current_user, slug)
    return redirect(url_for("agent.attempt", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@allow("agent")
def attempt(attempt_id: int):
    """The quiz page; after grading, the result."""
    current = attempts.own_attempt(current_user, attempt_id)
    if current.status != "in_progress":
        return redirect(url_for("agent.result", attempt_id=attempt_id))
    items = [attempts.item_for_agent(e) for e in current.items]
    saved = {k: a.option_id for k, a in attempts.answers_of(current).items()}
    unanswered = [(n, i) for n, i in enumerate(items, 1) if not saved.get(i["id"])]
    return render_template(
        "agent/attempt.html", attempt=current, items=items, saved=saved,
        unanswered=unanswered, confirming=bool(request.args.get("confirm") and unanswered),
    )


@bp.post("/attempts/<int:attempt_id>")
@allow("agent")
def answer(attempt_id: int):
    """Save the answers posted by the quiz form (works without JavaScript); maybe submit.

    Submitting with questions left blank first asks for a confirmation (the quiz page lists
    them); only ``action=submit-confirmed`` grades an attempt with blanks.
    """
    current = attempts.own_attempt(current_user, attempt_id)
    for entry in current.items:
        raw = request.form.get(f"item-{entry.item_id}")
        if raw:
            attempts.save_answer(current_user, attempt_id, entry.item_id, _int(raw, "option"))
    action = request.form.get("action")
    if action == "submit" and current.status == "in_progress" and _blanks(current):
        return redirect(url_for("agent.attempt", attempt_id=attempt_id, confirm=1) + "#confirm")
    if action in ("submit", "submit-confirmed"):
        attempts.submit(current_user, attempt_id)
        return redirect(url_for("agent.result", attempt_id=attempt_id))
    flash(_("Your answers are saved."), "ok")
    return redirect(url_for("agent.attempt", attempt_id=attempt_id))


@bp.post("/attempts/<int:attempt_id>/answers/<int:item_id>")
@allow("agent")
def autosave(attempt_id: int, item_id: int):
    """Autosave one answer from the quiz page's script (CSRF token in the header)."""
    seq = request.form.get("seq")
    saved = attempts.save_answer(current_user, attempt_id, item_id,
                                 _int(request.form.get("option"), "option"),
                                 _int(seq, "seq") if seq else None)
    return jsonify({"item": item_id, "option": saved.option_id, "seq": saved.seq})


@bp.get("/attempts/<int:attempt_id>/result")
@allow("agent")
def result(attempt_id: int):
    """Score, facts right and wrong, explanations, and what I am cleared for now."""
    current = attempts.own_attempt(current_user, attempt_id)
    if current.result is None:
        abort(404)
    items = feedback.reviewed_items(current)
    return render_template("agent/result.html", attempt=current, result=current.result,
                           items=items, fact_labels={i["fact"]: i["fact_label"] for i in items},
                           key_shown=bool(items) and items[0]["key"] is not None,
                           calls=outcome_by_skill(current.result, current.version.skills))


def _blanks(attempt) -> bool:
    if attempt.deadline_at and attempt.deadline_at <= utcnow():
        return False  # time is up: the saved answers are graded as they are
    saved = attempts.answers_of(attempt)
    return any(not (saved.get(e.item_id) and saved[e.item_id].option_id) for e in attempt.items)


def _int(raw, name: str) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ServiceError("whole_number_required", field=name, field_name=name,
                           value=repr(raw)) from None


from app.web.agent import (  # noqa: E402, F401  (routes on bp: inbox notices, daily practice)
    inbox,
    practice,
    search,
)
