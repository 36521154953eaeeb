"""Item recipes: each turns one fact into zero or more items (a registry, like CTFd's
``CHALLENGE_CLASSES``).

A recipe is ``recipe(doc, fact, context, rng) -> [ItemDraft, ...]``. Every recipe writes its
items into fixed slots, so an item's key ``<fact>-<slot>`` is stable across regenerations:
choice 1, true_false 2 (true statement) and 3 (false statement), cloze 4, perturbed 5,
scenario 6. A recipe that cannot make a good item for a fact returns nothing: every item but
a true/false one needs at least :data:`MIN_WRONG` wrong options of the key's kind. A recipe
may return several items for one slot, best first (alternatives with other wrong options):
:func:`~.deliverable` keeps the first that passes the gates and repeats no option set of an
earlier item of the fact.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from itertools import combinations

from app.domain.bulletin.types import BulletinDoc, Fact, ItemDraft, OptionDraft
from app.domain.generation.authored import authored_question
from app.domain.generation.bounds import on_false_side, wrong_side
from app.domain.generation.cloze import POOL, cloze_parts
from app.domain.generation.context import GenerationContext
from app.domain.generation.distractors import DEFAULT_ORDER, near_values, pair, wrong_options
from app.domain.generation.effective_date import effective_question, is_effective_date
from app.domain.generation.korean import (
    fix_particles,
    particle_problems,
    predicate,
    resolve_particles,
)
from app.domain.generation.labels import in_sentence
from app.domain.generation.ladders import format_date
from app.domain.generation.neutral import unasked
from app.domain.generation.normalise import contains_text
from app.domain.generation.option_order import natural_order
from app.domain.generation.option_sets import inclusive_first, length_first, qualified_first
from app.domain.generation.phrasing import (
    _BOOL_TEXT,
    TRUE_FALSE,
    display_value,
    en_question,
    explanation,
    is_korean,
    is_yes_no,
    ko_question,
    parse_bool,
    question_stem,
    said_as,
    shape,
    yes_no_claims,
    yes_no_question,
)
from app.domain.generation.question_units import fitted_question
from app.domain.generation.splice import same_shape

__all__ = ["RECIPES", "SLOTS", "Recipe", "recipe", "scenario_stem", "variants"]

Recipe = Callable[[BulletinDoc, Fact, GenerationContext, random.Random], list[ItemDraft]]
RECIPES: dict[str, Recipe] = {}
SLOTS = {"choice": 1, "true_false": 2, "true_false_false": 3, "cloze": 4, "perturbed": 5,
         "scenario": 6}
PERTURBED_POOL = 5  # how many of the nearest ladder steps the perturbed recipe draws from
MIN_WRONG, MAX_WRONG = 2, 3  # an item other than true/false offers 3 or 4 options
MAX_VARIANTS = 8
# An editor rated every perturbed and scenario item of the first round a duplicate of the
# choice item (the same question, mostly the same options): they make nothing for now.
PERTURBED_ENABLED = SCENARIO_ENABLED = False
SCENARIO_DAYS_AFTER = 14  # the scenario's "today": two weeks into the change


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
    """The options in a seeded random order, or in their natural order when they have one and
    the key stands inside it (amounts of one unit, dates: :mod:`.option_order`)."""
    options = [OptionDraft(text=key, correct=True), *wrongs]
    rng.shuffle(options)
    order = natural_order([option.text for option in options],
                          next(i for i, option in enumerate(options) if option.correct))
    return options if order is None else [options[i] for i in order]


def variants(pool: list[OptionDraft], rng: random.Random) -> list[list[OptionDraft]]:
    """Sets of wrong options to offer, best first: the first :data:`MAX_WRONG` of ``pool``,
    then other sets with the fewest perturbed options first (sets of 3 before sets of 2, in a
    seeded order within) -- always with the old value when the pool has it.
    :func:`~.deliverable` keeps the first set no earlier item of the fact has."""
    old = [option for option in pool if option.source == "old"][:1]
    rest = [option for option in pool if option not in old]
    first = pool[:MAX_WRONG]
    others = []
    for size in (MAX_WRONG, MIN_WRONG):
        drawn = [list(c) for c in combinations(rest, size - len(old))]
        rng.shuffle(drawn)
        others += [old + combo for combo in drawn]
    # the author's values first: a set with fewer generated (perturbed) options is tried
    # before one with more, so a cloze after the choice item keeps the not: values
    others.sort(key=lambda combo: sum(o.source == "perturbed" for o in combo))
    unique = {frozenset(o.text for o in first)}
    out = [first]
    for combo in others:
        texts = frozenset(o.text for o in combo)
        if len(combo) >= MIN_WRONG and texts not in unique:
            unique.add(texts)
            out.append(combo)
    return out[:MAX_VARIANTS]


def _choice_like(doc: BulletinDoc, fact: Fact, rng: random.Random, *, name: str, stem: str,
                 key: str, wrongs: list[OptionDraft], kind: str = "choice") -> list[ItemDraft]:
    """One item per variant of the wrong options (the alternatives of one slot)."""
    # an option the stem prints is no alternative ("the new name of KT Home Safe?" beside
    # "KT Home Safe"), the old value included: the trainer is warned instead
    wrongs = [wrong for wrong in wrongs if not contains_text(stem, wrong.text)]
    if len(wrongs) < MIN_WRONG or contains_text(stem, key):
        return []
    return [_item(doc, fact, slot=name, kind=kind, stem=stem,
                  options=_shuffled(key, chosen, rng), recipe_name=name)
            for chosen in variants(wrongs, rng)]


@recipe("choice")
def choice(doc: BulletinDoc, fact: Fact, context: GenerationContext,
           rng: random.Random) -> list[ItemDraft]:
    """"What is it now?": the current value among the old, ``not:`` and near values.

    A yes/no fact is asked as a question answered Yes/No (a true/false item).
    """
    if is_yes_no(fact):
        answers = _BOOL_TEXT["ko" if is_korean(doc.lang) else "en"]
        source = "old" if fact.old_value else "perturbed"
        asked, truth = authored_question(doc, fact) or (yes_no_question(doc, fact),
                                                        bool(parse_bool(fact.value)))
        if unasked(asked):  # a quoted fragment asserts nothing: the author writes ask=
            return []
        return [_true_false(doc, fact, "choice", asked, truth, source, answers,
                            recipe_name="choice")]
    if is_effective_date(doc, fact) and effective_question(doc) is None:
        return []  # "What is the effective date?" says not what takes effect
    stem = question_stem(doc, fact)
    if unasked(stem):  # never "<label>: which is correct?": the author is asked for ask=
        return []
    key = display_value(fact, fact.value, doc.lang)
    wrongs = wrong_options(doc, fact, context, key=key, limit=POOL)
    side = wrong_side(explanation(doc, fact), key, doc.lang)  # "within 2 hours": no made-up
    wrongs = [w for w in wrongs if w.source != "perturbed" or on_false_side(key, w.text, side)]
    # "1 hour" beside it (the author's values stay: they state another rule)
    if pair(key):  # a two-thing key among two-thing options only: its form is no cue (the
        # old value excepted: it is never dropped); none are spliced, the author writes them
        wrongs = [w for w in wrongs if w.source == "old" or pair(w.text)]
        wrongs.sort(key=lambda w: w.source != "old")
    else:  # not the only option naming several channels beside "... only" ones, nor
        wrongs = inclusive_first(key, qualified_first(key, length_first(key, wrongs)))
        # twice as long as all, nor the only one with a bracket or a comma
    items = _choice_like(doc, fact, rng, name="choice", stem=stem, key=key,
                         wrongs=wrongs[:MAX_WRONG])[:1]
    return [replace(item, stem=fitted_question(item.stem, [o.text for o in item.options],
                                               is_korean(doc.lang))) for item in items]


def _true_false(doc: BulletinDoc, fact: Fact, slot: str, stem: str, truth: bool,
                source: str | None = None, answers: tuple[str, str] | None = None,
                recipe_name: str = "true_false") -> ItemDraft:
    yes, no = answers or TRUE_FALSE["ko" if is_korean(doc.lang) else "en"]
    options = (OptionDraft(yes, correct=truth, source=None if truth else source),
               OptionDraft(no, correct=not truth, source=source if truth else None))
    return _item(doc, fact, slot=slot, kind="true_false", stem=stem, options=options,
                 recipe_name=recipe_name)


@recipe("true_false")
def true_false(doc: BulletinDoc, fact: Fact, context: GenerationContext,
               rng: random.Random) -> list[ItemDraft]:
    """A true statement of the fact and, when a wrong value is known, a false one.

    Yes/no facts state the label as a claim and its negation (nothing when the label cannot
    be turned into a claim: the choice slot still asks it as a question).
    """
    if is_yes_no(fact):
        return _yes_no_items(doc, fact)
    key = display_value(fact, fact.value, doc.lang)
    said, sound = said_as(doc, fact, key)
    if not sound:  # never a "label: value." statement (an editor rewrites every one): the
        return []  # fact keeps its choice and cloze items; one kind left is warned about
    items = [_true_false(doc, fact, "true_false", said, True)]
    # a key that is a thing ("X는 <V>입니다") is never judged beside a wrong value said as an
    # action ("…화면은 상담 화면 8-2 청구서 변경합니다")
    framed = is_korean(doc.lang) and shape(doc, fact) == "noun"
    frame = _frame(said, key) if framed else None
    printed = [t for t in (fact.label, fact.ask, fact.say) if t]  # "the new name of X is X"
    side = wrong_side(items[0].stem, key, doc.lang)  # "at least 3 years": never 5 years
    for wrong in wrong_options(doc, fact, context, key=key, limit=POOL, judged=True,
                               sources=("old", "not", "perturbed")):
        if not on_false_side(key, wrong.text, side):
            continue
        said, fits = said_as(doc, fact, wrong.text)
        other = _frame(said, wrong.text) if frame else None
        acted = bool(other) and "<V>" in frame and other.split("<P>")[0] == frame.split("<V>")[0]
        if fits and same_shape(key, wrong.text) and not acted \
                and not any(contains_text(text, wrong.text) for text in printed):
            items.append(_true_false(doc, fact, "true_false_false", said, False, wrong.source))
            break
    return items


def _frame(said: str, value: str) -> str | None:
    """The statement with its value taken out: "…화면은 <V>입니다" when the value is said as
    it is, "…화면은 <P>." when it is said as a verb ("청구서 변경" -> "청구서를 변경합니다");
    ``None`` when neither is found."""
    text = value.strip().rstrip(".")
    verb = (predicate(text) or "").rstrip(".")
    for form, mark in ((verb, "<P>"), (text, "<V>")):
        if form and form in said:
            head, _, tail = said.rpartition(form)
            return f"{head}{mark}{tail}"
    return None  # not found: nothing to compare


def _yes_no_items(doc: BulletinDoc, fact: Fact) -> list[ItemDraft]:
    source = "old" if fact.old_value else "perturbed"
    found = yes_no_claims(doc, fact)
    if found is None:
        return []
    true, false = found
    items = [_true_false(doc, fact, "true_false", true, True)]
    if false:  # none when the author's statement cannot be turned round for certain
        items.append(_true_false(doc, fact, "true_false_false", false, False, source))
    return items


@recipe("cloze")
def cloze(doc: BulletinDoc, fact: Fact, context: GenerationContext,
          rng: random.Random) -> list[ItemDraft]:
    """The body's sentence around a marked term that is (part of) the fact's value, blanked.

    Wrong options come from the fact's own value space (its ``was:``/``not:`` values and
    near values, cut to the blanked part) and never make a sentence the body states.
    """
    parts = cloze_parts(doc, fact, context)
    if parts is None:
        return []
    stem, term, wrongs = parts
    if pair(term):  # a two-thing key among two-thing options only, as in the choice item
        wrongs = sorted((w for w in wrongs if w.source == "old" or pair(w.text)),
                        key=lambda w: w.source != "old")
    items = _choice_like(doc, fact, rng, name="cloze", stem=stem, key=term, wrongs=wrongs,
                         kind="cloze")
    if is_korean(doc.lang):
        items = [replace(item, stem=fix_particles(stem))
                 if particle_problems(stem, [o.text for o in item.options]) else item
                 for item in items]
        items = [replace(item, stem=resolve_particles(item.stem, [o.text for o in item.options]))
                 for item in items]  # "_____을" when every option takes 을
    return items


@recipe("perturbed")
def perturbed(doc: BulletinDoc, fact: Fact, context: GenerationContext,
              rng: random.Random) -> list[ItemDraft]:
    """Retired: it asked the choice item's question again ("what exactly is ...?") with
    mostly the same options, which an editor rejects as a duplicate. Kept as a registered
    recipe that makes nothing when ``ENABLED`` is false, so slot 5 stays reserved."""
    if not PERTURBED_ENABLED or is_yes_no(fact) or shape(doc, fact) != "noun":
        return []
    nearest = near_values(doc, fact, fact.value)[:PERTURBED_POOL]
    if not nearest:
        return []
    drawn = [(display_value(fact, value, doc.lang), "perturbed")
             for value in rng.sample(nearest, len(nearest))]
    key = display_value(fact, fact.value, doc.lang)
    wrongs = wrong_options(doc, fact, context, key=key, sources=("old",), extra=drawn,
                           limit=PERTURBED_POOL + 1)
    if not any(option.source == "perturbed" for option in wrongs):
        return []
    return _choice_like(doc, fact, rng, name="perturbed", key=key, wrongs=wrongs,
                        stem=question_stem(doc, fact, exact=True))


def scenario_stem(doc: BulletinDoc, fact: Fact) -> str:
    """Two weeks into the change a colleague still follows the old rule; what is right now?"""
    later = format_date(doc.effective + timedelta(days=SCENARIO_DAYS_AFTER), doc.lang)
    old = display_value(fact, fact.old_value or "", doc.lang)
    kind = shape(doc, fact)
    if is_korean(doc.lang):
        return (f"{later}, 동료 상담사가 아직 이전 기준(“{old}”)대로 안내하고 있습니다."
                f" 현재 기준으로 {ko_question(fact, kind)}")
    return (f"It is {later}. A colleague still follows the old rule: “{old}”. Under the"
            f" current rule, {in_sentence(en_question(fact, kind))}")


@recipe("scenario")
def scenario(doc: BulletinDoc, fact: Fact, context: GenerationContext,
             rng: random.Random) -> list[ItemDraft]:
    """Retired (see ``SCENARIO_ENABLED``): for text facts that changed, a colleague still
    follows the old rule; what applies now?

    The old value is in the stem, so it is not an option: the item asks something the plain
    question does not, and is made only when two other wrong options are known.
    """
    if not SCENARIO_ENABLED:
        return []
    if fact.type != "text" and not fact.type.startswith("enum:") or not fact.old_value:
        return []
    if is_yes_no(fact):
        return []
    key = display_value(fact, fact.value, doc.lang)
    old = display_value(fact, fact.old_value, doc.lang)
    wrongs = wrong_options(doc, fact, context, key=key, sources=DEFAULT_ORDER[1:],
                           exclude=(old, fact.old_value), limit=POOL)
    return _choice_like(doc, fact, rng, name="scenario", stem=scenario_stem(doc, fact), key=key,
                        wrongs=wrongs)
