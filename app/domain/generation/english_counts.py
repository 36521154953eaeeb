"""English counts and rules that end on a preposition: "How many authorised contacts per
account at most?" / "The maximum number of ... is 3."; "Supervisor callback within" -> "A
supervisor callback is due within"; "Call the customer back within" as written.
"""

from __future__ import annotations

from app.domain.bulletin.types import Fact
from app.domain.generation.claims import IMPERATIVES, claims
from app.domain.generation.english import question_from_embedded
from app.domain.generation.labels import (
    AUX,
    FINITE,
    capitalise,
    in_sentence,
    is_participle,
    with_article,
)
from app.domain.generation.values import amount, unit_family

_BOUNDS = {"most": " at most", "maximum": " at most", "max": " at most", "least": " at least",
           "minimum": " at least", "min": " at least"}


def counted(fact: Fact) -> bool:
    """A quantity counted in items (attempts, contacts, numbers): asked "How many ...?"."""
    found = amount(fact.value)
    if fact.type != "quantity" or found is None:
        return False
    heads = [w.casefold() for w in fact.label.split()[:3] if w.casefold() not in _BOUNDS]
    if not any(w.endswith("s") and not w.endswith(("ss", "us", "is")) for w in heads):
        return False  # "Account PIN length: 6 digits" is a length, not a count
    unit = found[3].strip().casefold()
    return unit_family(fact.value) == "count" or (bool(unit) and unit.split()[0].endswith("s")
                                                  and unit_family(fact.value) is None)


def split_bound(label: str) -> tuple[str, str]:
    """("authorised contacts per account", " at most") for "Most authorised contacts ..."."""
    first, _, rest = label.partition(" ")
    if first.casefold() in _BOUNDS and rest:
        return rest, _BOUNDS[first.casefold()]
    return label, ""


def count_question(label: str) -> str:
    rest, bound = split_bound(label.removeprefix("Number of ").removeprefix("number of "))
    if bound:  # "What is the maximum number of authorised contacts per account?"
        which = "maximum" if bound == " at most" else "minimum"
        return f"What is the {which} number of {in_sentence(rest)}?"
    subordinate = {"before", "after", "when", "until", "if", "once", "while"} & set(
        rest.casefold().split())
    embedded = None if subordinate else question_from_embedded(f"How many {in_sentence(rest)}")
    return (embedded[:-1] + bound + "?") if embedded else f"How many {in_sentence(rest)}{bound}?"


def count_statement(label: str, value: str) -> str:
    rest, bound = split_bound(label.removeprefix("Number of ").removeprefix("number of "))
    found = amount(value)
    number = value if found is None else value[len(found[0]):].split(found[3])[0].strip() \
        if found[3] else value
    which = {" at most": "maximum ", " at least": "minimum "}.get(bound, "")
    return f"the {which}number of {in_sentence(rest)} is {number}."


_DUE = ("within", "by", "before")


def open_clause(label: str) -> str:
    """A rule ending on a preposition as a clause: "International calls locked after a
    replacement for" gets its verb ("are locked"); "Supervisor callback within" gets "is due";
    "Call the customer back within" stays as written."""
    tokens = label.split()
    lowered = [t.casefold() for t in tokens]
    found = claims(label, "en") if any(is_participle(w) for w in lowered[1:]) else None
    if found and not found[0].startswith(("you ", "It ")):
        return capitalise(found[0])
    noun_first = lowered[0] not in IMPERATIVES or (len(lowered) > 2 and lowered[1] == "due")
    verbless = not any(w in AUX or w in FINITE for w in lowered) and not any(
        is_participle(w) for w in lowered[1:]) and noun_first  # "Refund due within"
    if verbless and lowered[-1] in _DUE and len(tokens) > 1:
        head = tokens[:-2] if lowered[-2] == "due" and len(tokens) > 2 else tokens[:-1]
        subject = with_article(" ".join(head))  # "A supervisor callback is due within"
        return capitalise(f"{subject} is due {tokens[-1]}")
    verb = next((i for i, w in enumerate(lowered) if i and (w in AUX or w in FINITE)), None)
    if verb and lowered[0] not in IMPERATIVES:  # "Hotspot add-on lasts" -> "A hotspot ..."
        return capitalise(" ".join([with_article(" ".join(tokens[:verb])), *tokens[verb:]]))
    return capitalise(label)
