"""English questions and statements for a noun label, chosen by the label and by the value
it holds: "What is the monthly fee?", "What are the steps when ...?", "How long is the free
trial ...?", "How much data is included ...?", "Who are the eligible customers?", "When is the
suspension ...?", "What is the rule for ...?" (an action or a participle), "What happens to
...?" (a result the thing undergoes); and the helpers that say a label as a subject.
"""

from __future__ import annotations

from app.domain.bulletin.types import Fact
from app.domain.generation.claims import BASE_VERBS, IMPERATIVES
from app.domain.generation.count_labels import count_label_question
from app.domain.generation.english import question_from_embedded
from app.domain.generation.english_counts import count_question, counted
from app.domain.generation.labels import (
    AUX,
    FINITE,
    MASS,
    OPEN_END,
    capitalise,
    in_sentence,
    is_participle,
    plural_head,
    words,
)
from app.domain.generation.values import amount


def _the(label: str) -> str:
    return f"the {in_sentence(label)}"


def _be(label: str) -> str:
    return "are" if plural_head(label) else "is"


VERBISH = frozenset(("stay", "stays", "move", "moves", "must", "keep", "be", "can", "cannot",
                     "go", "goes", "is", "are", "get", "gets", "pay", "ask", "call", "tell",
                     "send", "offer", "check", "transfer", "end", "give", "hand", "refund"))


def _acts(value: str) -> bool:
    """A value that reads after "If ..., " as a sentence: an action or a clause."""
    tokens = words(value)
    verb_s = any(len(w) > 3 and w.endswith("s") and not w.endswith("ss") for w in tokens[1:3])
    pronoun = tokens[:1] and tokens[0] in ("we", "you", "they", "it", "he", "she", "i")
    return bool(tokens) and (pronoun or tokens[0] in IMPERATIVES or tokens[0] in BASE_VERBS
                             or _clause(
        value) or any(w in FINITE or w in AUX for w in tokens[1:]) or verb_s)


def _clause(value: str) -> bool:
    """A value that is a sentence of its own ("refunds are paid within 5 days")."""
    tokens = words(value.replace("May", "may-month"))  # "2 May 2027" is a date, not "may"
    return len(tokens) > 2 and tokens[0].isalpha() and tokens[0] not in AUX and any(
        w in AUX for w in tokens[1:4])


def verbish(value: str) -> bool:
    """Tell whether a value reads as a verb phrase ("stay with us and keep being billed")."""
    first = value.split(" ", 1)[0].casefold()
    return first in VERBISH or first in IMPERATIVES


def _generic_plural(label: str) -> bool:
    """"International calls on new lines" needs no article; "the papers needed to ..." and
    "the ways an e-bill can be delivered" (a participle or clause after the head) do."""
    tokens = label.split()
    if not plural_head(label):
        return False
    head = next((i for i, w in enumerate(tokens) if w.casefold().endswith("s")), None)
    if head is None:
        return False  # "Line number and menu": two singular nouns joined take "the"
    after = tokens[head + 1].casefold() if head is not None and head + 1 < len(tokens) else ""
    return after in OPEN_END or after == ""


_EXTREMES = frozenset(("first", "last", "maximum", "minimum", "most", "least"))


def _noun_question(label: str, exact: bool) -> str:
    """"What is the monthly fee?"; "Which documents are required?" for a trailing participle."""
    parts = label.split()
    superlative = parts[0].casefold().endswith("est") or parts[0].casefold() in _EXTREMES
    if 1 < len(parts) <= 4 and is_participle(parts[-1]) and not superlative:
        head = " ".join(parts[:-1])
        return f"Which {in_sentence(head)} {_be(head)} {'exactly ' if exact else ''}{parts[-1]}?"
    what = "What exactly" if exact else "What"
    return f"{what} {_be(label)} {_the(label)}?"


def en_question(fact: Fact, kind: str, exact: bool = False) -> str:
    """The English question for a fact, without any date."""
    label = fact.label.strip()
    if kind == "ask":
        return fact.ask.strip()
    if kind == "question":
        return capitalise(label.rstrip("?")) + "?"
    if kind not in ("embedded", "condition") and (asked := count_label_question(fact)):
        return asked  # "Devices that can be ...": "How many devices can be ...?"
    if kind == "embedded":
        return question_from_embedded(capitalise(label)) or \
            f"Which of these describes {in_sentence(label)}?"
    if kind == "condition":
        first = fact.value.split()[0].casefold() if fact.value.split() else ""
        acting = first in IMPERATIVES or first in BASE_VERBS
        return f"{capitalise(label)}, {'what do you do' if acting else 'what happens'}?"
    if kind == "open":
        return f"Which completes the rule: “{capitalise(label)} …”?"
    if kind == "participle":
        return f"What is {in_sentence(label)}?"
    if kind in ("article", "claim"):
        return f"What is the rule for {in_sentence(label)}?"
    first = fact.value.split()[0].casefold() if fact.value.split() else ""
    if verbish(fact.value) and not procedure(label):
        if first in IMPERATIVES or is_participle(first, predicates=False):
            return f"What is the rule for {_the(label)}?"  # an action to take, not a result
        return f"What happens to {_the(label)}?"
    if is_participle(first, predicates=False) and fact.type == "text":
        return f"What is the rule for {_the(label)}?"  # "Hotspot: allowed on all plans"
    if counted(fact):
        return count_question(label)
    if fact.type == "text" and first in _WHEN_WORDS:
        return f"When {_be(label)} {_the(label)}?"  # "... after 2 missed bills"
    people = first in PEOPLE or _head(label) in PEOPLE  # not "Number for deaf customers"
    if fact.type == "text" and people:
        return f"Who {_be(label)} {_the(label)}?"  # "customers aged 65 or over"
    return _how_much(fact, label) or _noun_question(label, exact)


def _head(label: str) -> str:
    """The noun phrase's head: its last word before a preposition or clause."""
    head = ""
    for word in words(label):
        if word in _HEAD_STOP:
            break
        head = word
    return head


_HEAD_STOP = frozenset(("for", "of", "to", "in", "on", "at", "with", "without", "by", "from",
                        "who", "that", "which", "when", "if", "before", "after", "per"))
_WHEN_WORDS = frozenset(("after", "before", "until", "within", "from"))
PEOPLE = frozenset(("customers", "customer", "agents", "agent", "members", "people",
                    "subscribers", "users", "owners", "holders", "children", "parents",
                    "seniors", "students", "callers", "staff", "employees"))


PROCEDURES = frozenset(("step", "steps", "procedure", "process", "way", "ways", "method",
                        "action", "actions", "instructions", "order", "sequence", "routine",
                        "first", "next", "rule", "rules", "response", "script"))
LASTING = frozenset(("trial", "pass", "suspension", "guarantee", "warranty", "validity", "lock",
                     "block", "hold", "freeze", "pause", "promotion", "offer", "subscription",
                     "membership", "storage", "retention", "loan", "rental", "cooling-off",
                     "grace", "waiting", "installation", "repair", "visit", "call"))


def procedure(label: str) -> bool:
    """A label naming what an agent does ("Steps when a customer disputes a charge"): its
    value is a list of actions, asked "What are the steps ...?", not "what happens to"."""
    return bool(PROCEDURES & set(words(label)[:2]))


def _how_much(fact: Fact, label: str) -> str | None:
    """"How long is the free trial for new customers?" for a duration a noun names without
    saying it is a time; "How much data is included per day?" for a mass noun and a
    participle."""
    tokens = words(label)
    if fact.type == "duration" and amount(fact.value) and LASTING & set(tokens[:3]) \
            and not {"time", "period", "length"} & set(tokens):  # a thing that lasts
        return f"How long {_be(label)} {_the(label)}?"
    if fact.type == "quantity" and len(tokens) > 2 and tokens[0] in MASS \
            and is_participle(tokens[1], predicates=False):
        return f"How much {in_sentence(label.split()[0])} is {' '.join(label.split()[1:])}?"
    return None
