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

from app.domain.bulletin.types import BulletinDoc, ItemDraft
from app.domain.generation.advice import generation_warnings
from app.domain.generation.context import GenerationContext
from app.domain.generation.cues import unscoped_change, value_in_name
from app.domain.generation.distractors import DISTRACTOR_SOURCES, distractor_source
from app.domain.generation.english import idiomatic_counts
from app.domain.generation.fact_index import FactIndex
from app.domain.generation.gates import GATES, check_item, gate
from app.domain.generation.korean import fix_particles, has_batchim
from app.domain.generation.lint import lint_items
from app.domain.generation.normalise import bare, unmark
from app.domain.generation.phrasing import is_korean, is_yes_no
from app.domain.generation.recipes import RECIPES, SLOTS, Recipe, recipe
from app.domain.generation.values import amount
from app.domain.refusals import Problem

__all__ = [
    "DISTRACTOR_SOURCES", "GATES", "RECIPES", "SLOTS", "FactIndex", "GenerationContext",
    "Recipe", "check_item", "coverage_problems", "deliverable", "distractor_source",
    "fix_particles", "gate", "generate_items", "generation_warnings", "has_batchim",
    "lint_items", "merge_regenerated", "recipe",
]

KEPT_STATUSES = frozenset({"approved", "retired"})
MIN_ITEMS, MIN_ITEMS_CRITICAL, MIN_KINDS = 2, 3, 2


def generate_items(doc: BulletinDoc, *, context: GenerationContext | None = None,
                   seed: int = 0) -> list[ItemDraft]:
    """Return the draft items for ``doc``'s facts, in fact then slot order.

    Only items that pass :func:`check_item` are returned, and within a fact no two items
    other than true/false ones share an option set (the later one is left out); see
    :func:`coverage_problems` for facts left with too few items and
    :func:`generation_warnings` for what the author can add.
    """
    context = context or GenerationContext()
    raw: list[ItemDraft] = []
    body = unmark(doc.body)
    for fact in doc.facts:
        if value_in_name(fact) or unscoped_change(body, fact):
            continue  # "How much data does WiBro Tab 20 give?" answers itself; "logs in with
            # their SIM" is false on the older phones the text keeps on the old login: the
            # author is told (advice_value_in_name, advice_old_still_holds)
        for name, make in RECIPES.items():
            rng = random.Random(f"{seed}:{fact.key}:{name}")
            raw += make(doc, fact, context, rng)
    if not is_korean(doc.lang):
        raw = [_in_english(item) for item in raw]
    return deliverable(raw, lang=doc.lang)


def _in_english(item: ItemDraft) -> ItemDraft:
    """The item with counts of times said as English says them ("once", "twice")."""
    return replace(item, stem=idiomatic_counts(item.stem),
                   explanation=idiomatic_counts(item.explanation),
                   options=tuple(replace(option, text=idiomatic_counts(option.text))
                                 for option in item.options))


def deliverable(raw: Sequence[ItemDraft], *, lang: str) -> list[ItemDraft]:
    """The recipe output a trainer gets: for each item key, the first alternative that passes
    every gate and (true/false items excepted) repeats no option set of an earlier item of the
    same fact."""
    seen: set[tuple[str, frozenset[str]]] = set()
    kept: list[ItemDraft] = []
    taken: set[str] = set()
    for item in raw:
        if item.key in taken or check_item(item, lang=lang):
            continue
        if item.kind != "true_false":
            options = {(item.fact, frozenset(bare(option.text) for option in item.options)),
                       (item.fact, option_numbers(item))}
            if options & seen:
                continue  # the same options, also as bare numbers (60/65/70/75 in both)
            seen |= options
        kept.append(item)
        taken.add(item.key)
    return kept


def option_numbers(item: ItemDraft) -> frozenset[str]:
    """The item's options as their amounts ("65 years" and "65" are both 65), or the empty
    set when an option has none (then it compares by text only)."""
    found = [amount(option.text) for option in item.options]
    if not found or any(f is None for f in found):
        return frozenset({f"text:{item.key}"})
    return frozenset(str(f[1]) for f in found)


def coverage_problems(doc: BulletinDoc, items: Sequence[ItemDraft]) -> list[Problem]:
    """Name the facts with fewer than 2 items of 2 different kinds (3 items when critical).

    A yes/no fact is judged true or false only (a question answered Yes/No, a claim and its
    negation), so one kind is enough for it. Retired items do not count.
    """
    problems = []
    for fact in doc.facts:
        mine = [item for item in items if item.fact == fact.key and item.status != "retired"]
        kinds = {item.kind for item in mine}
        critical = fact.critical or fact.key in doc.critical
        needed = MIN_ITEMS_CRITICAL if critical else MIN_ITEMS
        kinds_needed = 1 if is_yes_no(fact) else MIN_KINDS
        if len(mine) < needed or len(kinds) < kinds_needed:
            problems.append(Problem.of(
                "coverage_critical_fact" if critical else "coverage_fact", key=fact.key,
                n=len(mine), kinds=len(kinds), needed=needed, min=kinds_needed))
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
