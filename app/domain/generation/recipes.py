"""Item recipes: each turns one fact into zero or more items (a registry, like CTFd's
``CHALLENGE_CLASSES``).

A recipe is ``recipe(doc, fact, context, rng) -> [ItemDraft, ...]``. Every recipe writes its
items into fixed slots, so an item's key ``<fact>-<slot>`` is stable across regenerations:
choice 1, true_false 2 (true statement) and 3 (false statement), cloze 4, perturbed 5,
scenario 6. A recipe that cannot make a good item for a fact returns nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from ..markup import marked_terms
from ..types import BulletinDoc, Fact, ItemDraft, OptionDraft
from .context import GenerationContext
from .distractors import DEFAULT_ORDER, wrong_options
from .korean import BLANK, fix_particles, particle_problems
from .ladders import LADDERS
from .normalise import contains_text, same_text, sentence_with_mark, significant_words, unmark
from .phrasing import (
    TRUE_FALSE,
    display_value,
    explanation,
    is_korean,
    question_stems,
    scenario_stems,
    statements,
)

Recipe = Callable[[BulletinDoc, Fact, GenerationContext, random.Random], list[ItemDraft]]
RECIPES: dict[str, Recipe] = {}
SLOTS = {"choice": 1, "true_false": 2, "true_false_false": 3, "cloze": 4, "perturbed": 5,
         "scenario": 6}
PERTURBED_POOL = 5  # how many of the nearest ladder steps the perturbed recipe draws from


def recipe(name: str) -> Callable[[Recipe], Recipe]:
    """Register a recipe under ``name``; recipes run in registration order."""

    def register(make: Recipe) -> Recipe:
        """Add ``make`` to :data:`RECIPES` and return it unchanged."""
        RECIPES[name] = make
        return make

    return register


def _item(doc: BulletinDoc, fact: Fact, *, slot: str, kind: str, stem: str,
          options: Sequence[OptionDraft], recipe_name: str) -> ItemDraft:
    return ItemDraft(key=f"{fact.key}-{SLOTS[slot]}", fact=fact.key, kind=kind, stem=stem,
                     options=tuple(options), explanation=explanation(doc, fact),
                     recipe=recipe_name)


def _shuffled(key: str, wrongs: list[OptionDraft], rng: random.Random) -> list[OptionDraft]:
    options = [OptionDraft(text=key, correct=True), *wrongs]
    rng.shuffle(options)
    return options


def _choice_like(doc: BulletinDoc, fact: Fact, context: GenerationContext, rng: random.Random,
                 *, name: str, stems: list[str], sources: Sequence[str] = DEFAULT_ORDER,
                 extra: Sequence[tuple[str, str]] = ()) -> list[ItemDraft]:
    """One choice item: the first stem that does not contain the key, key + wrong options."""
    key = display_value(fact, fact.value, doc.lang)
    wrongs = wrong_options(doc, fact, context, key=key, sources=sources, extra=extra)
    stem = next((s for s in stems if not contains_text(s, key)), None)
    if not wrongs or stem is None:
        return []
    options = _shuffled(key, wrongs, rng)
    return [_item(doc, fact, slot=name, kind="choice", stem=stem, options=options,
                  recipe_name=name)]


@recipe("choice")
def choice(doc: BulletinDoc, fact: Fact, context: GenerationContext,
           rng: random.Random) -> list[ItemDraft]:
    """"What is it now?": the current value among the old, ``not:`` and other values."""
    return _choice_like(doc, fact, context, rng, name="choice", stems=question_stems(doc, fact))


@recipe("true_false")
def true_false(doc: BulletinDoc, fact: Fact, context: GenerationContext,
               rng: random.Random) -> list[ItemDraft]:
    """"X is now <new value>" (true) and, when a wrong value is known, "X is now <it>" (false).

    The false statement uses the old value, else the first ``not:`` value, else a perturbed
    one; the "true" option of that item records where the wrong value came from.
    """
    yes, no = TRUE_FALSE["ko" if is_korean(doc.lang) else "en"]
    key = display_value(fact, fact.value, doc.lang)
    items = [_item(doc, fact, slot="true_false", kind="true_false",
                   stem=statements(doc, fact, key)[0],
                   options=(OptionDraft(yes, correct=True), OptionDraft(no)),
                   recipe_name="true_false")]
    for wrong in wrong_options(doc, fact, context, key=key, sources=("old", "not", "perturbed"),
                               limit=1):
        items.append(_item(doc, fact, slot="true_false_false", kind="true_false",
                           stem=statements(doc, fact, wrong.text)[0],
                           options=(OptionDraft(yes, source=wrong.source),
                                    OptionDraft(no, correct=True)),
                           recipe_name="true_false"))
    return items


def _fact_for_term(facts: Sequence[Fact], term: str) -> Fact | None:
    """The fact a marked term tests: its value, else its label holds the term, else the fact
    whose value shares the most words with it (``None`` when no word is shared)."""
    for holds in (lambda f: same_text(f.value, term), lambda f: contains_text(f.value, term),
                  lambda f: contains_text(f.label, term)):
        found = next((fact for fact in facts if holds(fact)), None)
        if found:
            return found
    words = significant_words(term)
    best, best_score = None, 0
    for fact in facts:
        score = len(words & significant_words(fact.value))
        if score > best_score:
            best, best_score = fact, score
    return best


def cloze_term(doc: BulletinDoc, fact: Fact) -> str | None:
    """The first ``==marked==`` term of the body that tests ``fact``, if any."""
    for term in marked_terms(doc.body):
        found = _fact_for_term(doc.facts, term)
        if found is not None and found.key == fact.key:
            return term
    return None


@recipe("cloze")
def cloze(doc: BulletinDoc, fact: Fact, context: GenerationContext,
          rng: random.Random) -> list[ItemDraft]:
    """The body's sentence around a marked term with the term blanked out.

    Wrong options: the fact's old and ``not:`` values when the term is the whole value, the
    glossary, and the bulletin's other marked terms (recorded as source ``glossary``).
    """
    term = cloze_term(doc, fact)
    sentence = sentence_with_mark(doc.body, term) if term else None
    if term is None or sentence is None:
        return []
    stem = unmark(sentence.replace(f"=={term}==", BLANK, 1))
    exact = same_text(term, fact.value) and fact.type != "bool"
    sources = ("old", "not", "other_bulletin", "glossary") if exact else ("glossary",)
    others = [(t, "glossary") for t in marked_terms(doc.body) if not same_text(t, term)]
    wrongs = wrong_options(doc, fact, context, key=term, value=term, sources=sources,
                           extra=others)
    if not wrongs:
        return []
    options = _shuffled(term, wrongs, rng)
    if is_korean(doc.lang) and particle_problems(stem, [o.text for o in options]):
        stem = fix_particles(stem)
    return [_item(doc, fact, slot="cloze", kind="cloze", stem=stem, options=options,
                  recipe_name="cloze")]


@recipe("perturbed")
def perturbed(doc: BulletinDoc, fact: Fact, context: GenerationContext,
              rng: random.Random) -> list[ItemDraft]:
    """For dates, money, quantities and durations: near misses from realistic ladders.

    The old value comes first; then a seeded draw from the nearest ladder steps, so this
    item's options differ from the choice item's, which takes the nearest steps in order.
    """
    if fact.type not in LADDERS:
        return []
    nearest = LADDERS[fact.type](fact.value, doc.lang)[:PERTURBED_POOL]
    drawn = [(display_value(fact, value, doc.lang), "perturbed")
             for value in rng.sample(nearest, len(nearest))]
    items = _choice_like(doc, fact, context, rng, name="perturbed",
                         stems=question_stems(doc, fact, "perturbed"), sources=("old",),
                         extra=drawn)
    has_ladder = any(o.source == "perturbed" for item in items for o in item.options)
    return items if has_ladder else []


@recipe("scenario")
def scenario(doc: BulletinDoc, fact: Fact, context: GenerationContext,
             rng: random.Random) -> list[ItemDraft]:
    """For text facts: a customer asks about it two weeks into the change."""
    if fact.type != "text" and not fact.type.startswith("enum:"):
        return []
    return _choice_like(doc, fact, context, rng, name="scenario", stems=scenario_stems(doc, fact))
