"""English count labels that hide a clause, asked as real questions.

"Tablets that can be linked to one account" (a plural noun, a relative clause) and "Routers
allowed on one contract" (a plural noun, a participle) are asked "How many tablets can be
linked to one account?" / "How many routers are allowed on one contract?"; "What is the
maximum number of tablets that can be linked ...?" when the value says "up to" / "at most".
"Hours between the reminder and the cut-off" is asked "How many hours are there between ...?".
"Most an agent can refund without sign-off" is asked "What is the most an agent can refund
...?". None of these is said as a true/false statement (a smaller count "can" be linked too):
the fact keeps its choice item (and cloze), and the trainer sees the coverage warning.
A label of another shape gets ``None`` and the usual phrasing.
"""

from __future__ import annotations

import re

from app.domain.bulletin.types import Fact
from app.domain.generation.labels import AUX, in_sentence, is_participle

_RELATIVE = ("that", "which", "who")
_MODALS = frozenset(("can", "may", "must", "will", "could", "should", "cannot"))
_UNITS = frozenset(("days", "hours", "minutes", "weeks", "months", "years", "seconds"))
_BOUND_VALUE = re.compile(r"^(up to|at most|no more than|a maximum of|maximum)\b", re.IGNORECASE)
_SUPERLATIVES = frozenset(("most", "least"))
_BOUND_WORDS = frozenset(("maximum", "minimum", "max", "min", "number"))
_CLAUSE_SUBJECTS = frozenset(("you", "we", "an", "a", "the", "one", "each", "agents",
                              "customers", "staff"))


def _plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _relative(tokens: list[str]) -> tuple[str, str, str] | None:
    """(noun, relative word, predicate) of "Devices that can be registered on one ID"."""
    lowered = [t.casefold() for t in tokens]
    for index in range(1, min(len(tokens) - 1, 4)):
        if lowered[index] in _RELATIVE:
            verb = lowered[index + 1]
            noun = " ".join(tokens[:index])
            if _plural(lowered[index - 1]) and (verb in _MODALS or verb in ("are", "have")):
                return noun, lowered[index], " ".join(tokens[index + 1:])
            return None
        if is_participle(lowered[index], predicates=False) and _plural(lowered[index - 1]):
            if index + 1 < len(tokens):  # "Routers allowed on one contract"
                return " ".join(tokens[:index]), "that", "are " + " ".join(tokens[index:])
            return None
        if lowered[index] in AUX or lowered[index] in _MODALS:
            return None
    return None


def count_label_question(fact: Fact) -> str | None:
    """The question for an English count label of a known clause shape, or ``None``."""
    if fact.type not in ("quantity", "duration", "money"):
        return None
    tokens = fact.label.strip().rstrip("?.:").split()
    if len(tokens) < 3:
        return None
    first = tokens[0].casefold()
    if first in _SUPERLATIVES and tokens[1].casefold() in _CLAUSE_SUBJECTS \
            and any(t.casefold() in _MODALS for t in tokens[2:4]):
        return f"What is the {first} {' '.join(tokens[1:])}?"  # "Most you can waive ..."
    if fact.type == "money":
        return None
    if first in _UNITS and tokens[1].casefold() == "between":
        return f"How many {first} are there {' '.join(tokens[1:])}?"
    if fact.type != "quantity":
        return None
    asked = _before_clause(tokens) or _contact_clause(tokens)
    if asked:
        return asked
    found = None if first in _SUPERLATIVES | _BOUND_WORDS else _relative(tokens)
    if found is None:  # "Most referrals rewarded ...": english_counts asks the maximum
        return None
    noun, relative, predicate = found
    if _BOUND_VALUE.match(fact.value.strip()):
        return f"What is the maximum number of {in_sentence(noun)} {relative} {predicate}?"
    return f"How many {in_sentence(noun)} {predicate}?"


_SUBJECT_DET = frozenset(("the", "a", "an", "each", "one", "your"))


def _before_clause(tokens: list[str]) -> str | None:
    """"Wrong attempts before the PIN is locked" -> "After how many wrong attempts is the PIN
    locked?" (a passive or "is/are" clause only: no verb is inflected)."""
    lowered = [t.casefold() for t in tokens]
    if "before" not in lowered[1:4]:
        return None
    at = lowered.index("before")
    verb = next((j for j in range(at + 2, len(tokens)) if lowered[j] in ("is", "are")), None)
    if not _plural(lowered[at - 1]) or verb is None or verb + 1 >= len(tokens) \
            or lowered[at + 1] not in _SUBJECT_DET:
        return None
    noun, subject = " ".join(tokens[:at]), " ".join(tokens[at + 1:verb])
    return f"After how many {in_sentence(noun)} {lowered[verb]} {subject} " \
           f"{' '.join(tokens[verb + 1:])}?"


def _contact_clause(tokens: list[str]) -> str | None:
    """"Registered numbers the watch can call" -> "How many registered numbers can the watch
    call?" (a plural noun, a subject with its determiner, a modal)."""
    lowered = [t.casefold() for t in tokens]
    for at in range(1, min(3, len(tokens) - 3)):
        if lowered[at] in _SUBJECT_DET and _plural(lowered[at - 1]):
            modal = next((j for j in range(at + 1, min(at + 4, len(tokens) - 1))
                          if lowered[j] in _MODALS), None)
            if modal is None:
                return None
            noun, subject = " ".join(tokens[:at]), " ".join(tokens[at:modal])
            return f"How many {in_sentence(noun)} {lowered[modal]} {subject} " \
                   f"{' '.join(tokens[modal + 1:])}?"
    return None
