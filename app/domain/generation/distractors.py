"""Where wrong options come from: a registry of distractor sources, tried in priority order.

A source is ``source(doc, fact, context, value) -> [raw value, ...]``, where ``value`` is the
correct answer being tested (the fact's value, or a marked term for a cloze item). Its name is
the ``source`` recorded on the wrong option (product.md, section 2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import chain

from ..types import BulletinDoc, Fact, OptionDraft
from .context import GenerationContext
from .gates import lengths_comparable
from .ladders import LADDERS
from .normalise import normalise, same_text
from .phrasing import display_value, flip_bool

DistractorSource = Callable[[BulletinDoc, Fact, GenerationContext, str], list[str]]
DISTRACTOR_SOURCES: dict[str, DistractorSource] = {}
DEFAULT_ORDER = ("old", "not", "other_bulletin", "glossary", "perturbed")
MAX_WRONG = 3


def distractor_source(name: str) -> Callable[[DistractorSource], DistractorSource]:
    """Register a distractor source under ``name`` (one of ``OPTION_SOURCES``)."""

    def register(source: DistractorSource) -> DistractorSource:
        """Add ``source`` to :data:`DISTRACTOR_SOURCES` and return it unchanged."""
        DISTRACTOR_SOURCES[name] = source
        return source

    return register


@distractor_source("old")
def _old(doc: BulletinDoc, fact: Fact, context: GenerationContext, value: str) -> list[str]:
    return [fact.old_value] if fact.old_value else []


@distractor_source("not")
def _not(doc: BulletinDoc, fact: Fact, context: GenerationContext, value: str) -> list[str]:
    return list(fact.not_values)


@distractor_source("other_bulletin")
def _other_bulletin(doc: BulletinDoc, fact: Fact, context: GenerationContext,
                    value: str) -> list[str]:
    # Facts of the same type with a related label (the context's index finds them in order).
    out: list[str] = []
    for other in context.index.related(fact):
        if same_text(fact.label, other.label):  # its value is true there: only its wrong ones
            out += ([other.old_value] if other.old_value else []) + list(other.not_values)
        else:
            out += [other.value] + ([other.old_value] if other.old_value else [])
    return out


@distractor_source("glossary")
def _glossary(doc: BulletinDoc, fact: Fact, context: GenerationContext, value: str) -> list[str]:
    if fact.type.startswith("enum:"):
        return list(context.glossary.get(fact.type.removeprefix("enum:"), ()))
    out: list[str] = []
    for terms in context.glossary.values():
        if any(same_text(term, value) for term in terms):
            out += terms
    return out


@distractor_source("perturbed")
def _perturbed(doc: BulletinDoc, fact: Fact, context: GenerationContext, value: str) -> list[str]:
    if fact.type == "bool":
        flipped = flip_bool(value)
        return [flipped] if flipped else []
    ladder = LADDERS.get(fact.type)
    return ladder(value, doc.lang) if ladder else []


def true_elsewhere(fact: Fact, context: GenerationContext, lang: str) -> set[str]:
    """Normalised current values of same-label facts in other bulletins: never wrong options.

    The fact's own ``was:`` and ``not:`` values are exempt: the author declared them wrong
    now (a superseded bulletin may still state the old value).
    """
    def forms(values: list[str]) -> set[str]:
        return {normalise(text) for value in values
                for text in (value, display_value(fact, value, lang))}

    # Many bulletins may state the same value: each distinct one is formatted once.
    stated = list(dict.fromkeys(other.value for other in context.index.same_label(fact.label)))
    return forms(stated) - forms([fact.old_value or "", *fact.not_values])


def wrong_options(doc: BulletinDoc, fact: Fact, context: GenerationContext, *, key: str,
                  value: str | None = None, sources: Sequence[str] = DEFAULT_ORDER,
                  extra: Iterable[tuple[str, str]] = (), limit: int = MAX_WRONG,
                  ) -> list[OptionDraft]:
    """Pick up to ``limit`` wrong options for the correct option text ``key``.

    Sources are tried in order, then ``extra`` (``(text, source)`` pairs). A candidate is
    skipped when it equals the key or an option already chosen (normalised), is true in
    another bulletin for the same label, or would make the option lengths incomparable.
    """
    value = fact.value if value is None else value
    banned = true_elsewhere(fact, context, doc.lang)
    banned |= {normalise(key), normalise(value), normalise(fact.value)}
    # Lazy: with many bulletins in force the sources offer hundreds of candidates, and the
    # first few acceptable ones are all that is taken.
    candidates = ((display_value(fact, raw, doc.lang), name) for name in sources
                  for raw in DISTRACTOR_SOURCES[name](doc, fact, context, value))
    chosen: list[OptionDraft] = []
    for text, source in chain(candidates, extra):
        if len(chosen) >= limit:
            break
        if not text.strip() or normalise(text) in banned:
            continue
        if lengths_comparable([key, *(option.text for option in chosen), text]):
            chosen.append(OptionDraft(text=text, source=source))
            banned.add(normalise(text))
    return chosen
