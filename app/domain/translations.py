"""One change in two languages: a translation and its original are one change.

A bulletin whose front matter says ``translation_of: <slug>`` is the same change as that
bulletin (its *original*) in another language. Everything that decides who must pass what
by when has to agree between the two, so that passing either quiz can certify the change:

- the gate and the audience: ``effective``, ``deadline``, ``gate``, ``skills``, ``teams``,
  ``pass_mark`` and ``recertify_after_days``;
- the facts, paired by their ``{#id}``: the same ids, types and critical facts, and for typed
  facts (``bool``, ``date``, ``money``, ``quantity``, ``duration``, ``enum:``) the same value
  and ``was:`` value as typed values (``예`` is ``yes``, ``2시간`` is ``2 hours``,
  ``10,000원`` is ``KRW 10,000``). Text values are free text in each language and are not
  compared.

Pure functions of their arguments (the versions are read through their attributes: a parsed
:class:`~app.domain.bulletin.types.BulletinDoc` and a stored version look alike here).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from app.domain.generation.values import amount
from app.domain.refusals import Problem

AGREEING_FIELDS = ("effective", "deadline", "gate", "skills", "teams", "pass_mark",
                   "recertify_after_days")
"""Front-matter fields a translation must share with its original."""

_SET_FIELDS = ("skills", "teams")
_TRUE = frozenset({"yes", "true", "예", "가능"})
_FALSE = frozenset({"no", "false", "아니오", "아니요", "불가"})
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_UNITS = {
    "minute": ("minute", "minutes", "min", "mins", "분"),
    "hour": ("hour", "hours", "h", "hr", "hrs", "시간"),
    "day": ("day", "days", "일"),
    "working_day": ("working day", "working days", "business day", "business days", "영업일"),
    "week": ("week", "weeks", "주", "주일"),
    "month": ("month", "months", "개월", "달"),
    "year": ("year", "years", "년"),
    "gb": ("gb", "기가", "기가바이트"),
    "mb": ("mb", "메가", "메가바이트"),
    "krw": ("원", "won", "₩", "krw"),
    "usd": ("$", "usd", "dollars", "달러"),
    "count": ("attempt", "attempts", "time", "times", "회", "번", "차례"),
}
_CANONICAL = {word: unit for unit, words in _UNITS.items() for word in words}


@dataclass(frozen=True)
class Disagreement:
    """Why a translation is not the same change as its original: the field (or fact) at fault."""

    field: str  # a front-matter field, or "facts"
    problem: Problem
    fact: str | None = None

    @property
    def message(self) -> str:
        """The disagreement in English."""
        return self.problem.message


def joined(problems: Sequence[Problem]) -> Problem:
    """``problems`` as one, each worded on its own and joined by "; "."""
    *rest, last = problems
    for problem in reversed(rest):
        last = Problem.of("problems_joined", first=problem, rest=last)
    return last


def _canonical_unit(text: str) -> str | None:
    return _CANONICAL.get(text.strip().casefold().rstrip("."))


def _number_and_unit(text: str) -> tuple[Decimal | None, str | None]:
    parsed = amount(text)
    if parsed is not None:
        pre, number, _, unit = parsed
        return number, _canonical_unit(unit) or _canonical_unit(pre)
    found = _NUMBER.search(text)
    try:
        return (Decimal(found.group().replace(",", "")) if found else None), None
    except InvalidOperation:
        return None, None


def same_value(kind: str, first: str | None, second: str | None) -> bool:
    """Tell whether two values of a fact of type ``kind`` mean the same, in any language.

    ``bool``: the same truth value; ``date``: the same day; ``money``/``quantity``/
    ``duration``: the same number and, when both units are known, the same unit; ``enum:``:
    the same glossary entry. ``text`` values are never compared (always True).
    """
    if kind == "text":
        return True
    if first is None or second is None:
        return first is None and second is None
    a, b = first.strip().casefold(), second.strip().casefold()
    if kind == "bool":
        return (a in _TRUE and b in _TRUE) or (a in _FALSE and b in _FALSE)
    if kind in ("money", "quantity", "duration"):
        (n1, u1), (n2, u2) = _number_and_unit(a), _number_and_unit(b)
        return n1 is not None and n1 == n2 and (u1 is None or u2 is None or u1 == u2)
    return a == b  # date (ISO text) and enum entries


def _field_value(version, name: str):
    value = getattr(version, name, None)
    if name in _SET_FIELDS:
        return sorted(value or ())
    return value.isoformat() if hasattr(value, "isoformat") else value


def _shown(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]" if value else "(every team)"
    return "(none)" if value is None else str(value)


def _field_disagreements(original, translation, original_slug: str) -> list[Disagreement]:
    out = []
    for name in AGREEING_FIELDS:
        mine, theirs = _field_value(translation, name), _field_value(original, name)
        if mine != theirs:
            out.append(Disagreement(name, Problem.of(
                "translation_field", name=name, slug=original_slug, there=_shown(theirs),
                here=_shown(mine))))
    return out


def _fact_disagreements(original, translation, original_slug: str) -> list[Disagreement]:
    theirs = {f.key: f for f in original.facts}
    mine = {f.key: f for f in translation.facts}
    out = [Disagreement("facts", Problem.of("translation_fact_missing", key=key,
                                            slug=original_slug), key)
           for key in theirs if key not in mine]
    out += [Disagreement("facts", Problem.of("translation_fact_extra", key=key,
                                             slug=original_slug), key)
            for key in mine if key not in theirs]
    for key in (k for k in theirs if k in mine):
        out += _pair_disagreements(theirs[key], mine[key], original_slug)
    return out


def _pair_disagreements(original, translation, slug: str) -> list[Disagreement]:
    key = original.key
    if original.type != translation.type:
        return [Disagreement("facts", Problem.of(
            "translation_fact_type", key=key, here=translation.type, there=original.type,
            slug=slug), key)]
    out = []
    if bool(original.critical) != bool(translation.critical):
        state = Problem.of("state_critical" if original.critical else "state_not_critical")
        out.append(Disagreement("facts", Problem.of(
            "translation_fact_critical", key=key, state=state, slug=slug), key))
    for role, attr in (("value", "value"), ("was:", "old_value")):
        here, there = getattr(translation, attr), getattr(original, attr)
        if not same_value(original.type, there, here):
            out.append(Disagreement("facts", Problem.of(
                "translation_fact_value", key=key, role=role, here=here or "",
                there=there or "", slug=slug, kind=original.type), key))
    return out


def disagreements(original, translation, original_slug: str) -> list[Disagreement]:
    """Every way ``translation`` is not the same change as ``original`` (empty: it agrees).

    Each names the front-matter field or the fact at fault. The languages must differ.
    """
    out = []
    if (original.lang or "").casefold() == (translation.lang or "").casefold():
        out.append(Disagreement("lang", Problem.of(
            "translation_lang_same", slug=original_slug, lang=translation.lang)))
    return (out + _field_disagreements(original, translation, original_slug)
            + _fact_disagreements(original, translation, original_slug))


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].casefold()


def reading_language(preferred: str | None, languages: Sequence[str]) -> str:
    """The language a reader is given among a change's ``languages`` (the original's first).

    Their preference when the change has it (``ko-KR`` matches ``ko``), else the original's.
    """
    if preferred:
        for lang in languages:
            if lang.casefold() == preferred.casefold():
                return lang
        for lang in languages:
            if _primary(lang) == _primary(preferred):
                return lang
    return languages[0]


def translation_is_current(paired_lineage: int | None, original_lineage: int | None) -> bool:
    """A published translation still translates its original's newest published version.

    A translation is paired with the original version it was published against; a *minor*
    version of the original keeps the lineage (and the translation); a *material* one starts
    a new lineage, and the translation needs a new version before readers get it again.
    """
    return paired_lineage is not None and paired_lineage == original_lineage


def credited_version(version_id: int, paired_with: int | None) -> int:
    """The version a pass on version ``version_id``'s quiz certifies.

    A translation's quiz certifies the original version it is paired with (``paired_with``),
    so the change's one requirement accepts a pass in either language; an original's quiz
    certifies itself.
    """
    return paired_with or version_id
