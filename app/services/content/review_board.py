"""The trainer's review of one version's items: a summary per fact, filters, approving the
items a trainer has read, what agents will get, and a preview drawn as a real attempt.

"Untested" facts have no approved item: no agent is asked about them. Critical ones block
publishing (app/services/bulletins.py); the others are named before publishing so that
leaving a fact untested is a choice, not an oversight.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from dataclasses import dataclass

from flask import current_app

from app.domain import quiz_rules
from app.domain.refusals import Refused
from app.errors import Conflict, ServiceError
from app.models import BulletinVersion, Item, User
from app.services.certification.attempts import agent_view_of_item, compose
from app.services.content.drafts import touch
from app.services.content.review import update_item

STATUSES = ("all", "draft", "approved", "retired")


@dataclass(frozen=True)
class FactSummary:
    """One fact's items by status."""

    key: str
    label: str
    critical: bool
    approved: int
    draft: int
    retired: int

    @property
    def untested(self) -> bool:
        """No approved item: agents are not asked about this fact."""
        return self.approved == 0


@dataclass(frozen=True)
class QuizPlan:
    """What an attempt on the version asks, from its approved items as they are now."""

    questions: int
    approved: int
    pass_mark: int
    untested: tuple[FactSummary, ...]  # critical ones among them block publishing


def summary(version: BulletinVersion) -> list[FactSummary]:
    """Each fact of ``version`` in order, with its approved, draft and retired item counts."""
    critical = set(version.critical or ())
    rows = []
    for fact in version.facts:
        mine = [i.status for i in version.items if i.fact_id == fact.id]
        rows.append(FactSummary(fact.key, fact.label, fact.critical or fact.key in critical,
                                mine.count("approved"), mine.count("draft"),
                                mine.count("retired")))
    return rows


def plan(version: BulletinVersion, facts: list[FactSummary] | None = None) -> QuizPlan:
    """How many questions agents get, from how many approved items, at which pass mark, and
    which facts go untested (``facts``: the summary, when already computed)."""
    facts = summary(version) if facts is None else facts
    counts = {f.key: f.approved for f in facts}
    questions = quiz_rules.question_count(counts, facts=[f.key for f in facts],
                                          critical=version.critical or ())
    mark = version.pass_mark or current_app.config["ONEVOICE_PASS_MARK"]
    return QuizPlan(questions, sum(counts.values()), mark,
                    tuple(f for f in facts if f.untested))


def check_filters(version: BulletinVersion, status: str | None, fact: str | None
                  ) -> tuple[str, str | None]:
    """The review page's filters: a status of STATUSES (default all) and a fact id or none."""
    status = status or "all"
    if status not in STATUSES:
        raise ServiceError("review_status_filter", field="status", value=status,
                           options=list(STATUSES))
    if fact and fact not in {f.key for f in version.facts}:
        raise ServiceError("review_fact_filter", field="fact", key=fact, slug=version.slug)
    return status, fact or None


def shown(version: BulletinVersion, status: str, fact: str | None) -> dict[int, list[Item]]:
    """The items the filters let through, by fact row id (every fact has an entry)."""
    by_fact: dict[int, list[Item]] = {}
    for row in version.facts:
        if fact and row.key != fact:
            continue
        by_fact[row.id] = [i for i in version.items if i.fact_id == row.id
                           and status in ("all", i.status)]
    return by_fact


def approve_selected(version: BulletinVersion, keys: list[str], actor: User | None) -> int:
    """Approve the items named in ``keys`` and only those; returns how many changed status.

    Nothing is approved when none is named or one of them is not an item of ``version``.
    """
    wanted = list(dict.fromkeys(k for k in keys if k))
    if not wanted:
        raise ServiceError("nothing_selected", field="items")
    by_key = {i.key: i for i in version.items}
    unknown = [k for k in wanted if k not in by_key]
    if unknown:
        raise ServiceError("unknown_item", field="items", details={"items": unknown},
                           keys=unknown, slug=version.slug)
    changed = 0
    for key in wanted:
        if by_key[key].status != "approved":
            update_item(by_key[key], {"status": "approved"})
            changed += 1
    touch(version, actor)
    return changed


def preview(version: BulletinVersion, rng: random.Random | None = None) -> list[dict]:
    """One attempt's questions as an agent would get them now: the real draw (same count,
    order and shuffled options) with a fresh seed, from the approved items."""
    pool = [i for i in version.items if i.status == "approved"]
    if not pool:
        return []
    rng = rng or random.Random(secrets.randbits(64))
    try:
        drawn = compose(version, pool, (), rng)
    except Refused as error:  # a critical fact without an approved item
        raise ServiceError("preview_critical_undrawable", field="items",
                           **error.problem.params) from None
    by_id = {i.id: i for i in pool}
    return [agent_view_of_item(by_id[item_id], order) for item_id, order in drawn]


def fingerprint(item: Item) -> str:
    """A short digest of what an item editor shows (status, kind, stem, options, explanation):
    the edit form carries it, so a save over another trainer's newer edit is noticed."""
    shape = [item.status, item.kind, item.stem, item.explanation or "",
             [[o.text, bool(o.correct), o.source] for o in item.options]]
    return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()[:16]


def check_fingerprint(item: Item, loaded: str | None) -> None:
    """Refuse an item edit made on an older state of ``item`` (``loaded`` None: no check)."""
    if loaded and loaded != fingerprint(item):
        raise Conflict("item_changed", field="item", details={"current": fingerprint(item)},
                       key=item.key)
