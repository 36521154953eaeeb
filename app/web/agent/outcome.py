"""What a graded attempt means for the agent's call types, for the result page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CallTypeOutcome:
    """One call type of the bulletin after grading: cleared or blocked now, and the other
    bulletins still to pass for it (blocking now, or due later)."""

    skill: str
    cleared: bool
    remaining: list[dict] = field(default_factory=list)  # {bulletin, title, due, expired}


def outcome_by_skill(result: dict, skills: list[str]) -> list[CallTypeOutcome]:
    """The bulletin's call types as the graded ``result``'s eligibility leaves them.

    ``remaining`` lists exactly the other bulletins the agent must still pass for the call
    type: the missing ones that block it now, then the ones due later (rule 3: a requirement
    not yet gated does not block, but shows as due). After a pass this bulletin is left out.
    Call types the agent does not hold are left out.
    """
    eligibility = result.get("eligibility") or {}
    cleared = {c["skill"] for c in eligibility.get("cleared", [])}
    blocked = {b["skill"]: b.get("missing", []) for b in eligibility.get("blocked", [])}
    due: dict[str, list[dict]] = {}
    for entry in eligibility.get("due", []):
        due.setdefault(entry["skill"], []).append(entry)

    def other(entry: dict) -> bool:
        return not (result.get("passed") and entry.get("bulletin") == result.get("bulletin"))

    out = []
    for skill in skills:
        if skill not in cleared and skill not in blocked:
            continue
        remaining = [m for m in [*blocked.get(skill, []), *due.get(skill, [])] if other(m)]
        out.append(CallTypeOutcome(skill, skill in cleared, remaining))
    return out
