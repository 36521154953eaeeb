"""Quiz item generation from a bulletin's facts: rule-based, offline and deterministic.

:func:`generate_items` runs every recipe of :data:`RECIPES` on every fact and keeps the items
that pass every quality gate of :data:`GATES`. The same bulletin, context and seed always give
the same items: each (fact, recipe) pair shuffles with its own ``random.Random`` seeded from
``seed``, the fact key and the recipe name, so adding a fact does not reshuffle the others.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import replace

from ..types import BulletinDoc, ItemDraft
from .context import GenerationContext
from .distractors import DISTRACTOR_SOURCES, distractor_source
from .fact_index import FactIndex
from .gates import GATES, check_item, gate
from .korean import fix_particles, has_batchim
from .recipes import RECIPES, SLOTS, Recipe, recipe

__all__ = [
    "DISTRACTOR_SOURCES", "GATES", "RECIPES", "SLOTS", "FactIndex", "GenerationContext",
    "Recipe", "check_item", "coverage_problems", "distractor_source", "fix_particles", "gate",
    "generate_items", "has_batchim", "merge_regenerated", "recipe",
]

KEPT_STATUSES = frozenset({"approved", "retired"})
MIN_ITEMS, MIN_ITEMS_CRITICAL, MIN_KINDS = 2, 3, 2


def generate_items(doc: BulletinDoc, *, context: GenerationContext | None = None,
                   seed: int = 0) -> list[ItemDraft]:
    """Return the draft items for ``doc``'s facts, in fact then slot order.

    Only items that pass :func:`check_item` are returned; see :func:`coverage_problems` for
    facts left with too few of them.
    """
    context = context or GenerationContext()
    items: list[ItemDraft] = []
    for fact in doc.facts:
        for name, make in RECIPES.items():
            rng = random.Random(f"{seed}:{fact.key}:{name}")
            items += [item for item in make(doc, fact, context, rng)
                      if not check_item(item, lang=doc.lang)]
    return items


def coverage_problems(doc: BulletinDoc, items: Sequence[ItemDraft]) -> list[str]:
    """Name the facts with fewer than 2 items of 2 different kinds (3 items when critical).

    Retired items do not count.
    """
    problems = []
    for fact in doc.facts:
        mine = [item for item in items if item.fact == fact.key and item.status != "retired"]
        kinds = {item.kind for item in mine}
        critical = fact.critical or fact.key in doc.critical
        needed = MIN_ITEMS_CRITICAL if critical else MIN_ITEMS
        if len(mine) < needed or len(kinds) < MIN_KINDS:
            what = "critical fact" if critical else "fact"
            problems.append(f"{what} {fact.key}: {len(mine)} item(s) of {len(kinds)} kind(s);"
                            f" needs at least {needed} items of {MIN_KINDS} different kinds")
    return problems


def _kept(item: ItemDraft, protected: Collection[str]) -> bool:
    # Hand-written items (no recipe) are a trainer's work even when nobody marked them.
    return item.key in protected or item.status in KEPT_STATUSES or not item.recipe


def merge_regenerated(existing: Sequence[ItemDraft], generated: Sequence[ItemDraft], *,
                      protected: Collection[str]) -> list[ItemDraft]:
    """Merge a regeneration into the existing items of a bulletin version.

    Kept as they are: items whose key is in ``protected`` (edited by a trainer), approved or
    retired items, and hand-written items (empty ``recipe``). Other existing drafts are
    replaced by the generated item of the same key, or dropped when that key is no longer
    generated. Generated items with new keys are appended as drafts. Keys never change.
    """
    fresh = {item.key: item for item in generated}
    merged: list[ItemDraft] = []
    for item in existing:
        if _kept(item, protected):
            merged.append(item)
        elif item.key in fresh:
            merged.append(replace(fresh[item.key], status="draft"))
    known = {item.key for item in existing}
    merged += [replace(item, status="draft") for item in generated if item.key not in known]
    return merged
