"""Feedback after grading, as the bulletin's review policy allows (front matter ``review:``).

The decision is the pure rule in app/domain/review_policy.py; this module gathers what it
needs (the attempt's result, today's attempts, a manager's unlock) and shapes the items for
the result page and the API. It is judged when asked, not when graded: under ``after_cap``
the key appears once the agent has used the day's attempts, and hides again after an unlock.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from app.domain import review_policy
from app.models import Attempt, utcnow
from app.services.certification.attempts import answers_of, item_for_agent, retake_history
from app.services.content.translations import same_change


def review_of(attempt: Attempt, at: datetime | None = None) -> review_policy.Review:
    """What the agent may see about this graded attempt at ``at``."""
    at = at or utcnow()
    group = same_change([attempt.version])[attempt.version_id]  # the change in any language
    past, unlocked_at = retake_history(attempt.user_id, attempt.version_id, group)
    cap_used = review_policy.daily_cap_used(
        [p.started_at for p in past], at, daily_cap=current_app.config["ONEVOICE_RETAKE_DAILY_CAP"],
        tz=current_app.config["ONEVOICE_TIMEZONE"], unlocked_at=unlocked_at,
    )
    return review_policy.decide(attempt.version.review, passed=bool(attempt.passed),
                                cap_used=cap_used)


def reviewed_items(attempt: Attempt, at: datetime | None = None,
                   review: review_policy.Review | None = None) -> list[dict]:
    """Each item with the agent's choice and whether it was right; ``key`` (the correct
    option ids) and ``explanation`` are None where the policy withholds them.

    Nothing is revealed for an attempt that is not graded yet (rule 9).
    """
    if attempt.result is None:
        return []
    review = review or review_of(attempt, at)
    saved = answers_of(attempt)
    out = []
    for entry in attempt.items:
        item, answer = entry.item, saved.get(entry.item_id)
        out.append({
            **item_for_agent(entry), "fact": item.fact.key, "fact_label": item.fact.label,
            "chosen": answer.option_id if answer else None,
            "correct": bool(answer and answer.correct),
            "key": [o.id for o in item.options if o.correct] if review.show_key else None,
            "explanation": item.explanation if review.show_explanation else None,
        })
    return out


def review_document(attempt: Attempt, at: datetime | None = None) -> dict | None:
    """The API's ``review`` of a graded attempt: the policy, what it shows, and the items.

    None before grading, so an attempt in progress carries no key, no explanation.
    """
    if attempt.result is None:
        return None
    review = review_of(attempt, at)
    return {
        "policy": review.policy,
        "key_shown": review.show_key,
        "explanations_shown": review.show_explanation,
        "items": reviewed_items(attempt, at, review),
    }
