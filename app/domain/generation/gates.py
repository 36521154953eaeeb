"""Quality gates: checks every generated item must pass before a trainer sees it.

A gate is ``gate(item, lang) -> [problem, ...]``; :data:`GATES` holds them by name and
:func:`check_item` runs them all. Gates are registered with ``@gate("name")``, so a new check
is one function.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.domain.bulletin.types import OPTION_SOURCES, ItemDraft
from app.domain.generation.korean import BLANK, particle_problems
from app.domain.generation.normalise import contains_text, normalise
from app.domain.generation.phrasing import is_korean

Gate = Callable[[ItemDraft, str], list[str]]
GATES: dict[str, Gate] = {}

MIN_OPTIONS = 3  # every item but a true/false one: the key and two wrong options at least
LENGTH_RATIO, LENGTH_SLACK = 3, 10
"""Options are comparable when the longest is at most 3x the shortest plus 10 characters:
the slack lets "No" stand beside "Yes, a bundle", the ratio stops the longest option being
the obvious answer."""

_CATCH_ALL = re.compile(
    r"\b(all|none|both|neither) of (the above|these|them)\b|\ball the above\b"
    r"|^\s*(위의?\s*(것\s*)?)?모두\s*(맞다|정답|해당|아님|틀리다)?\s*$|위의?\s*(것\s*)?모두"
    r"|해당\s*(사항\s*)?없음|정답\s*없음|모두\s*(정답|맞음|해당)",
    re.IGNORECASE,
)


def gate(name: str) -> Callable[[Gate], Gate]:
    """Register a gate under ``name``."""

    def register(check: Gate) -> Gate:
        """Add ``check`` to :data:`GATES` and return it unchanged."""
        GATES[name] = check
        return check

    return register


def lengths_comparable(texts: list[str]) -> bool:
    """Tell whether the option texts have comparable lengths (see :data:`LENGTH_RATIO`)."""
    lengths = [len(" ".join(text.split())) for text in texts]
    return not lengths or max(lengths) <= LENGTH_RATIO * min(lengths) + LENGTH_SLACK


@gate("option_count")
def _option_count(item: ItemDraft, lang: str) -> list[str]:
    count = len(item.options)
    if item.kind == "true_false" and count != 2:
        return [f"a true/false item needs exactly 2 options, not {count}"]
    if item.kind != "true_false" and count < MIN_OPTIONS:
        return [f"a {item.kind} item needs at least {MIN_OPTIONS} options, not {count}"]
    if any(not option.text.strip() for option in item.options) or not item.stem.strip():
        return ["the stem and every option need text"]
    return []


@gate("distinct_options")
def _distinct_options(item: ItemDraft, lang: str) -> list[str]:
    seen: dict[str, str] = {}
    problems = []
    for option in item.options:
        norm = normalise(option.text)
        if norm in seen:
            problems.append(f"options '{seen[norm]}' and '{option.text}' are the same")
        seen.setdefault(norm, option.text)
    return problems


@gate("one_correct")
def _one_correct(item: ItemDraft, lang: str) -> list[str]:
    correct = sum(option.correct for option in item.options)
    return [] if correct == 1 else [f"exactly one option must be correct, not {correct}"]


@gate("key_not_in_stem")
def _key_not_in_stem(item: ItemDraft, lang: str) -> list[str]:
    if item.kind == "true_false":  # the stem is the statement; the key is its truth
        return []
    return [f"the stem gives the answer away: it contains '{option.text}'"
            for option in item.options if option.correct and contains_text(item.stem, option.text)]


@gate("comparable_lengths")
def _comparable_lengths(item: ItemDraft, lang: str) -> list[str]:
    # The old value is never dropped for its length (the fact carries a warning instead).
    if lengths_comparable([option.text for option in item.options if option.source != "old"]):
        return []
    return [(f"option lengths differ too much (longest > {LENGTH_RATIO}x shortest"
            f" + {LENGTH_SLACK} characters)")]


@gate("no_catch_all")
def _no_catch_all(item: ItemDraft, lang: str) -> list[str]:
    return [f"'{option.text}' is a catch-all option (all/none of the above)"
            for option in item.options if _CATCH_ALL.search(option.text)]


@gate("option_sources")
def _option_sources(item: ItemDraft, lang: str) -> list[str]:
    problems = []
    for option in item.options:
        if option.correct and option.source:
            problems.append(f"the correct option '{option.text}' has a source")
        elif option.source is not None and option.source not in OPTION_SOURCES:
            problems.append(f"unknown option source '{option.source}'")
    return problems


@gate("cloze_blank")
def _cloze_blank(item: ItemDraft, lang: str) -> list[str]:
    blanks = item.stem.count(BLANK)
    if item.kind == "cloze" and blanks != 1:
        return [f"a cloze stem needs exactly one blank '{BLANK}', not {blanks}"]
    return []


@gate("korean_particles")
def _korean_particles(item: ItemDraft, lang: str) -> list[str]:
    if not is_korean(lang):
        return []
    return particle_problems(item.stem, [option.text for option in item.options])


def check_item(item: ItemDraft, *, lang: str) -> list[str]:
    """Return the problems of ``item`` found by every gate; an empty list means it passes."""
    return [f"{name}: {problem}" for name, check in GATES.items() for problem in check(item, lang)]
