"""English questions and answers built from a label: an embedded question made direct
("How long one pass lasts" -> "How long does one pass last?") and a question turned into a
statement of its answer ("Who owns a formal complaint?" + "the complaints team" -> "The
complaints team owns a formal complaint."), so a true/false item reads as a sentence instead
of "the answer to “...” is: ...".

Word order only: the subject is what stands between the auxiliary and the main verb, and a
relative clause ("a guardian who is not a parent") is stepped over when looking for it.
"""

from __future__ import annotations

import re

from app.domain.generation.claims import BASE_VERBS, third_person
from app.domain.generation.labels import (
    ARTICLES,
    AUX,
    FINITE,
    OPEN_END,
    WH,
    capitalise,
    in_sentence,
    is_participle,
    s_verb_at,
    verb_base,
)

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
    if lowered[start] in _DETERMINERS and anchor == verb:
        return start  # "How much |a late payment| costs"
    begin = max(anchor - 1, start)
    while begin - 1 >= start and _adjective(lowered[begin - 1]):
        begin -= 1  # "a |faulty| router is replaced"
    if begin - 1 >= start and lowered[begin - 1] in _DETERMINERS:
        begin -= 1
    return begin


_ADJECTIVES = frozenset(("new", "old", "lost", "stolen", "broken", "existing", "young", "other",
                         "first", "second", "last", "next", "same", "main", "own", "free",
                         "late", "early", "extra", "full", "partial", "monthly", "annual",
                         "daily", "weekly", "spare", "used", "unused", "prepaid", "postpaid",
                         "additional", "digital", "physical", "original", "personal", "optional",
                         "final", "total", "local", "international", "special", "legal"))


def _adjective(word: str) -> bool:
    """A word that reads as an adjective before a noun ("faulty", "damaged", "new")."""
    return word in _ADJECTIVES or (len(word) > 4 and word.endswith(
        ("y", "ful", "ive", "ous", "ed", "able", "ible", "less")) and word not in _RELATIVE)


def _subject_end(lowered: list[str], begin: int) -> int:
    """Where the subject starting at ``begin`` ends: a determiner and a noun (or a lone noun),
    and a relative clause after it ("a guardian who is not a parent")."""
    end = begin + (1 if lowered[begin] in _DETERMINERS else 0)
    while end < len(lowered) - 1 and _adjective(lowered[end]):
        end += 1  # "a |faulty| router"
    end += 1
    if end < len(lowered) and lowered[end] in _RELATIVE:
        end += 1
        while end < len(lowered) and (lowered[end] in AUX or lowered[end] == "not"):
            end += 1
        if end < len(lowered) and lowered[end] in _DETERMINERS:
            end += 1
        end += 1
    return min(end, len(lowered))


def _plural_noun(word: str) -> bool:
    return word.isalpha() and word.endswith("s") and not word.endswith(("ss", "us", "is")) \
        and len(word) > 3


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
    inner = next((i for i in range(start + 1, len(lowered)) if lowered[i] in ("whether", "if")),
                 None)
    if inner is not None:  # "Where agents check |whether the pass was used|": the question
        outer = question_from_embedded(" ".join(parts[:inner]))  # is the outer clause's
        return f"{outer[:-1]} {' '.join(parts[inner:])}?" if outer else None
    index = main_verb(lowered, start + 1)
    if index is None and lowered[start] in _DETERMINERS:  # "Where the owner |adds| members"
        after = _subject_end(lowered, start)
        if after < len(lowered) and _plural_noun(lowered[after]) and after + 1 < len(lowered):
            index = after
    if index is None:
        index = s_verb_at(lowered, start + 1)
    if index is None:
        plural = _plural_verb_at(lowered, start)
        if plural is None:
            return None  # "How customers |switch| the pass on": "do", the verb as it is
        return capitalise(" ".join([*parts[:start], "do", *parts[start:]])) + "?"
    begin = 1 if lowered[0] == "whether" else _subject_start(lowered, start, index)
    head = [] if lowered[0] == "whether" else [capitalise(" ".join(parts[:begin]))]
    subject = parts[begin:index]
    if lowered[index] in ("does", "do", "did") and (index + 1 == len(lowered) or lowered[
            index + 1] not in BASE_VERBS):  # "What the installer does after ..." -> "do"
        moved = [*head, lowered[index], *subject, "do", *parts[index + 1:]]
    elif lowered[index] in _MOVABLE:
        moved = [*head, lowered[index], *subject, *parts[index + 1:]]
    else:  # "Where agents apply ...": a plural subject before a plain verb takes "do"
        plural = not lowered[index].endswith("s") and bool(subject) and (
            _plural_noun(subject[-1].casefold()) or subject[-1].casefold() in ("you", "we", "they"))
        moved = [*head, "do" if plural else "does", *subject, verb_base(lowered[index]),
                 *parts[index + 1:]]
    return capitalise(" ".join(moved)) + "?"


def _plural_verb_at(lowered: list[str], start: int) -> int | None:
    """A base-form verb after a plural subject: "how customers |switch| the pass on"."""
    for index in range(start + 1, len(lowered)):
        before = lowered[index - 1]
        plural = before.endswith("s") and not before.endswith(("ss", "us", "is", "'s"))
        word = lowered[index]
        plain = word.isalpha() and not word.endswith(("s", "ed", "ing", "ly")) \
            and word not in ARTICLES and word not in OPEN_END and word not in _RELATIVE
        if (word in BASE_VERBS or plain) and (plural or before in ("you", "we", "they")):
            return index
        if before not in ARTICLES and index > start + 2:
            return None
    return None


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
    if verb is None and lowered[0] == "who" and lowered[1].endswith("s"):
        verb = 1  # "Who approves a refund?"
    if verb is None and lowered[0] in ("which", "what") and len(lowered) > 3 and _plural_noun(
            lowered[2]) and not _plural_noun(lowered[1]):
        # "Which team handles disputes?" -> "The billing team handles disputes."
        return f"{capitalise(value)} {' '.join(parts[2:])}."
    if verb is None:
        return None
    if lowered[0] in ("who", "which", "what", "whose") and lowered[verb] not in (
            "do", "does", "did") and (lowered[0] == "who" or lowered[verb] in FINITE):
        rest = parts[verb:]  # the answer is the subject
        if lowered[verb] in FINITE and _plural_value(value):
            rest = [verb_base(lowered[verb]), *rest[1:]]  # "Customers ... and ... get ..."
        if value.casefold().endswith(" only"):  # "Only the account holder can request ..."
            value = "only " + in_sentence(value[:-5])
        return f"{capitalise(value)} {' '.join(rest)}."
    if lowered[0] in ("what", "which") and verb == 1 and lowered[1] in ("is", "are"):
        return f"{capitalise(' '.join(parts[2:]))} {lowered[1]} {value}."
    if lowered[0] in ("what", "which") and verb == 2 and lowered[2] in ("is", "are"):
        # "Which data is used first?" -> "<value> is used first." (the answer is the subject)
        return f"{capitalise(value)} {' '.join(parts[2:])}."
    if lowered[verb] not in _MOVABLE:
        return None
    start = 2 if lowered[:2] in _QUANTITY_WH else 1
    between = lowered[start:verb]
    counting = lowered[:2] in (["how", "many"], ["how", "much"])
    if between and lowered[:2] != ["how", "long"] and (
            not counting or _DETERMINERS.intersection(between)):
        return None  # "How many wrong attempts before the PIN is locked": not a simple order
    return _object_answer(parts, lowered, verb, value)


def _place_preposition(verb: str, value: str) -> str:
    """"to" after a verb of sending, "in" an app, "on" a website, else "at"."""
    if verb in _TOWARD:
        return "to"
    lowered = " ".join(value.casefold().split()[:3])  # the place itself, not what follows
    if re.search(r"\bapp\b", lowered):
        return "in"
    return "on" if re.search(r"\b(website|web site|site|portal|web)\b", lowered) else "at"


_TOWARD = frozenset(("send", "sent", "forward", "transfer", "route", "escalate", "refer",
                     "return", "mail", "email", "post", "deliver", "submit", "go", "move", "port",
                     "redirect", "pass", "hand", "bring", "take", "write", "fax", "report"))
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
    acting = value.split()[0].casefold() if value.split() else ""
    if lowered[0] == "how" and word in ("is", "are") and is_participle(acting, predicates=False):
        return capitalise(" ".join([in_sentence(" ".join(subject)), word, value])) + "."
    if lowered[0] == "how" and lowered[:2] not in _QUANTITY_WH and acting in BASE_VERBS:
        # "How do customers switch the pass on?" + "send ..." -> "To switch the pass on,
        # customers send ..."
        act = value.split()
        if word == "does":
            act = [third_person(acting), *act[1:]]
        auxiliary = [] if word in ("do", "does", "did") else [word]
        purpose = " ".join(["to", *rest, *parts[2:aux]]).rstrip(",")  # "... to renew the pass"
        said = " ".join([in_sentence(" ".join(subject)), *auxiliary, *act])
        if len(act) >= 8 or re.search(r"\b(and|with|or)\b", " ".join(act[1:-1])):
            return capitalise(f"{purpose}, {said}") + "."  # a long action: the purpose first
        return capitalise(f"{said} {purpose}") + "."
    if word == "does":
        rest = [third_person(verb), *rest[1:]]
    object_first = lowered[0] in ("what", "which") or lowered[:2] in (["how", "many"],
                                                                       ["how", "much"])
    if object_first and acting in BASE_VERBS and verb not in ("do", "be"):
        return None  # "What should you tell ...?" answered by an action: no plain order
    if object_first:
        answer = value
        if lowered[:2] in (["how", "many"], ["how", "much"]) and not any(
                c.isalpha() for c in value):
            answer = " ".join([value, *parts[2:aux]])  # "5" + "referrals"
        if lowered[0] == "what" and verb == "do":
            acted = answer.split()
            if word == "does" and acted and acted[0].casefold() in BASE_VERBS:
                answer = " ".join([third_person(acted[0].casefold()), *acted[1:]])
            tail = [answer, *rest[1:]]  # "What should you do first?" -> "... record it first"
        else:
            tail = [rest[0], answer, *rest[1:]]
    else:
        extra = parts[2:aux] if lowered[:2] == ["how", "long"] else []  # "... before the change"
        if lowered[0] == "where" and value.split()[0].casefold() not in _PLACE_WORDS:
            # "... trade in a phone at any company shop"; "... send a dispute to <address>"
            value = f"{_place_preposition(verb, value)} {value}"
        elif lowered[0] == "how" and ">" in value and value.split()[0].casefold() not in (
                _PLACE_WORDS):
            value = f"in {value}"  # "... turn it on in Settings > Connections"
        elif lowered[:2] == ["how", "long"] and value[:1].isdigit() and not extra \
                and word in ("is", "are") and is_participle(verb, predicates=False):
            value = f"for {value}"  # "A suspended line is kept for 90 days."
        tail = [*rest, value, *extra]
    auxiliary = [] if word in ("do", "does", "did") else [word]
    return capitalise(" ".join([in_sentence(" ".join(subject)), *auxiliary, *tail])) + "."


_NOT_A_RANGE = r"(?<![\d.,–~-])(?<!\d )(?<!\d or )(?<!\d to )(?<!\d and )"  # "1 or 2 times"
_TIMES = re.compile(rf"{_NOT_A_RANGE}(?<!at )\b(?P<n>1|one) time\b(?!-)"
                    rf"|{_NOT_A_RANGE}\b(?P<two>2|two) times\b(?!-)", re.IGNORECASE)
_NOUN_AFTER = re.compile(r"\s+(?!(?:a|an|per|each|every|in|within|before|after|during|on|to|"
                         r"when|if|and|or|only|more|then|at|for|than|by|from|until|since|"
                         r"again|already|so|the)\b)[A-Za-z]")


def idiomatic_counts(text: str) -> str:
    """Counts of times as English says them: "1 time" is "once" and "2 times" "twice" ("calls
    the customer once", "at most twice a month"), never in a compound ("1 time fee",
    "2 times speed")."""
    def said(found: re.Match) -> str:
        if _NOUN_AFTER.match(text, found.end()):
            return found[0]
        word = "once" if found["n"] else "twice"
        return word.capitalize() if found[0][0].isupper() else word

    return _TIMES.sub(said, text)


_ONCE_TWICE = re.compile(r"\b(once|twice)\b", re.IGNORECASE)


def as_times(text: str) -> str:
    """The count in "once"/"twice" written as an amount again ("1 time", "2 times"), for
    comparing options by their unit: "once" stands beside "3 times" as a count of times."""
    return _ONCE_TWICE.sub(lambda m: "1 time" if m[1].casefold() == "once" else "2 times", text)
