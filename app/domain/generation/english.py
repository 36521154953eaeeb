"""English questions and answers built from a label: an embedded question made direct
("How long one pass lasts" -> "How long does one pass last?") and a question turned into a
statement of its answer ("Who owns a formal complaint?" + "the complaints team" -> "The
complaints team owns a formal complaint."), so a true/false item reads as a sentence instead
of "the answer to “...” is: ...".

Word order only: the subject is what stands between the auxiliary and the main verb, and a
relative clause ("a guardian who is not a parent") is stepped over when looking for it.
"""

from __future__ import annotations

from app.domain.bulletin.types import Fact
from app.domain.generation.claims import IMPERATIVES, claims, third_person
from app.domain.generation.labels import (
    AUX,
    FINITE,
    WH,
    capitalise,
    in_sentence,
    is_participle,
    s_verb_at,
    verb_base,
    with_article,
)
from app.domain.generation.values import amount, unit_family

_RELATIVE = frozenset(("who", "that", "which"))
_QUANTITY_WH = (["how", "long"], ["how", "much"], ["how", "many"], ["how", "often"])
_MOVABLE = AUX - {"cannot", "can't"}


def _verb_like(word: str) -> bool:
    return word in AUX or word in FINITE


def main_verb(tokens: list[str], start: int = 1) -> int | None:
    """The index of the clause's verb from ``start``, skipping a relative clause's verb."""
    skip = False
    for index in range(start, len(tokens)):
        word = tokens[index]
        if word in _RELATIVE and index > start:
            skip = True
            continue
        if _verb_like(word):
            if skip:
                skip = False
                continue
            return index
    return None


_DETERMINERS = frozenset(("a", "an", "the", "one", "each", "every", "your", "their", "our",
                          "this", "that", "any", "no", "its", "his", "her"))


def _subject_start(lowered: list[str], start: int, verb: int) -> int:
    """Where the subject before ``verb`` begins: the noun before it (or before a relative
    clause that ends at it) and its determiner; never before ``start``."""
    anchor = next((i for i in range(start + 1, verb) if lowered[i] in _RELATIVE), verb)
    begin = max(anchor - 1, start)
    if begin - 1 >= start and lowered[begin - 1] in _DETERMINERS:
        begin -= 1
    return begin


def _subject_end(lowered: list[str], begin: int) -> int:
    """Where the subject starting at ``begin`` ends: a determiner and a noun (or a lone noun),
    and a relative clause after it ("a guardian who is not a parent")."""
    end = begin + (2 if lowered[begin] in _DETERMINERS else 1)
    if end < len(lowered) and lowered[end] in _RELATIVE:
        end += 1
        while end < len(lowered) and (lowered[end] in AUX or lowered[end] == "not"):
            end += 1
        if end < len(lowered) and lowered[end] in _DETERMINERS:
            end += 1
        end += 1
    return min(end, len(lowered))


def question_from_embedded(label: str) -> str | None:
    """"Where customers can follow the case" -> "Where can customers follow the case?";
    "How long one pass lasts" -> "How long does one pass last?"; "Whether calls are charged"
    -> "Are calls charged?"; "What to do first" -> "What should you do first?".

    ``None`` when no verb is found to move.
    """
    parts = label.strip().rstrip("?").split()
    lowered = [p.casefold().strip(",") for p in parts]
    if len(parts) < 2 or lowered[0] not in WH:
        return None
    if lowered[1] == "to":  # "what to do first when ..."
        return " ".join([capitalise(parts[0]), "should you", *parts[2:]]) + "?"
    start = 2 if lowered[:2] in _QUANTITY_WH else 1
    index = main_verb(lowered, start + 1)
    if index is None:
        index = s_verb_at(lowered, start + 1)
    if index is None:
        return None
    begin = 1 if lowered[0] == "whether" else _subject_start(lowered, start, index)
    head = [] if lowered[0] == "whether" else [capitalise(" ".join(parts[:begin]))]
    subject = parts[begin:index]
    if lowered[index] in _MOVABLE:
        moved = [*head, lowered[index], *subject, *parts[index + 1:]]
    else:
        moved = [*head, "does", *subject, verb_base(lowered[index]), *parts[index + 1:]]
    return capitalise(" ".join(moved)) + "?"


def answer_statement(question: str, value: str) -> str | None:
    """The statement a question's answer makes, or ``None`` when the word order is not known.

    "Who can request changes?" -> "<Value> can request changes."; "Where can a customer trade
    in a phone?" -> "A customer can trade in a phone <value>."; "How do customers opt in?" ->
    "Customers opt in <value>."; "What is the fee?" -> "The fee is <value>."; "What must a
    guardian bring?" -> "A guardian must bring <value>.".
    """
    parts = question.strip().rstrip("?").split()
    lowered = [p.casefold().strip(",") for p in parts]
    if len(parts) < 3 or lowered[0] not in WH or lowered[0] == "whether":
        return None
    verb = main_verb(lowered, 1)
    if verb is None:
        return None
    if lowered[0] in ("who", "which", "what", "whose") and lowered[verb] not in (
            "do", "does", "did") and (lowered[0] == "who" or lowered[verb] in FINITE):
        rest = parts[verb:]  # the answer is the subject
        if lowered[verb] in FINITE and _plural_value(value):
            rest = [verb_base(lowered[verb]), *rest[1:]]  # "Customers ... and ... get ..."
        return f"{capitalise(value)} {' '.join(rest)}."
    if lowered[0] in ("what", "which") and verb == 1 and lowered[1] in ("is", "are"):
        return f"{capitalise(' '.join(parts[2:]))} {lowered[1]} {value}."
    if lowered[verb] not in _MOVABLE:
        return None
    start = 2 if lowered[:2] in _QUANTITY_WH else 1
    between = lowered[start:verb]
    counting = lowered[:2] in (["how", "many"], ["how", "much"])
    if between and lowered[:2] != ["how", "long"] and (
            not counting or _DETERMINERS.intersection(between)):
        return None  # "How many wrong attempts before the PIN is locked": not a simple order
    return _object_answer(parts, lowered, verb, value)


_PLACE_WORDS = frozenset(("at", "in", "on", "from", "by", "through", "via", "only", "online",
                          "anywhere", "everywhere", "nowhere", "here", "there", "to", "with"))


def _plural_value(value: str) -> bool:
    """"Customers aged 65 ... and customers with ..." is plural; "Every customer" is not."""
    first = value.split()[0].casefold() if value.split() else ""
    if first in ("every", "each", "a", "an", "one", "only"):
        return False
    return " and " in value or (first.endswith("s") and not first.endswith(("ss", "us")))


def _object_answer(parts: list[str], lowered: list[str], aux: int, value: str) -> str | None:
    """"<wh> <aux> <subject> <verb> <rest>" -> "<subject> <aux> <verb> <rest> <value>"; for
    what/which/how many the value comes right after the verb ("... must bring <value> to")."""
    end = _subject_end(lowered, aux + 1)
    subject, rest = parts[aux + 1:end], parts[end:]
    word = lowered[aux]
    if not subject:
        return None
    if not rest:
        if word not in ("is", "are", "was", "were"):
            return None
        return capitalise(" ".join([in_sentence(" ".join(subject)), word, value])) + "."
    verb = rest[0].casefold()
    if word == "does":
        rest = [third_person(verb), *rest[1:]]
    object_first = lowered[0] in ("what", "which") or lowered[:2] in (["how", "many"],
                                                                       ["how", "much"])
    if object_first:
        answer = value
        if lowered[:2] in (["how", "many"], ["how", "much"]) and not any(
                c.isalpha() for c in value):
            answer = " ".join([value, *parts[2:aux]])  # "5" + "referrals"
        if lowered[0] == "what" and verb == "do":
            tail = [answer, *rest[1:]]  # "What should you do first?" -> "... record it first"
        else:
            tail = [rest[0], answer, *rest[1:]]
    else:
        extra = parts[2:aux] if lowered[:2] == ["how", "long"] else []  # "... before the change"
        if lowered[0] == "where" and value.split()[0].casefold() not in _PLACE_WORDS:
            value = f"at {value}"  # "... trade in a phone at any company shop"
        elif lowered[0] == "how" and ">" in value and value.split()[0].casefold() not in (
                _PLACE_WORDS):
            value = f"in {value}"  # "... turn it on in Settings > Connections"
        tail = [*rest, value, *extra]
    auxiliary = [] if word in ("do", "does", "did") else [word]
    return capitalise(" ".join([in_sentence(" ".join(subject)), *auxiliary, *tail])) + "."


# -- counts and rules that end on a preposition ------------------------------------------

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
    verbless = not any(w in AUX or w in FINITE for w in lowered) and not any(
        is_participle(w) for w in lowered[1:]) and lowered[0] not in IMPERATIVES
    if verbless and lowered[-1] in _DUE and len(tokens) > 1:
        subject = with_article(" ".join(tokens[:-1]))  # "A supervisor callback is due within"
        return capitalise(f"{subject} is due {tokens[-1]}")
    verb = next((i for i, w in enumerate(lowered) if i and (w in AUX or w in FINITE)), None)
    if verb and lowered[0] not in IMPERATIVES:  # "Hotspot add-on lasts" -> "A hotspot ..."
        return capitalise(" ".join([with_article(" ".join(tokens[:verb])), *tokens[verb:]]))
    return capitalise(label)
