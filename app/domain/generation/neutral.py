"""The neutral frame: a stem or statement that is grammatical whatever the label's shape.

A label is built into a sentence only when its shape is recognised with confidence (a clean
noun phrase, a question, a clause the generator can reorder). When it is not, the item uses
the label as a heading: "<Label>: which is correct?" / "<Label>: <value>." in English and
"<라벨>: 옳은 것은?" / "<라벨>: <값>." in Korean. An editor accepts a plain frame unedited; a
sentence built around a label the generator misread ("the one-time is passcode valid") is
rejected. :func:`doubtful_question` and :func:`doubtful_statement` are the confidence checks.
"""

from __future__ import annotations

import re

from app.domain.bulletin.types import Fact
from app.domain.generation.claims import BASE_VERBS, IMPERATIVES, claims
from app.domain.generation.count_labels import count_label_question
from app.domain.generation.labels import AUX, FINITE, capitalise, is_participle, words
from app.domain.generation.noun_phrasing import _acts, _head
from app.domain.generation.splice import noun_with_infinitive
from app.domain.generation.values import amount

EN_STEM = "{label}: which is correct?"
KO_STEM = "{label}: 옳은 것은?"
MODALS = frozenset(("must", "can", "may", "should", "will", "would", "could", "cannot",
                    "need", "has", "have", "had", "does", "do", "did", "is", "are", "was",
                    "were"))
_WH_HEADS = ("how long", "how much", "how many", "how often", "how soon", "how far", "when",
             "where", "what", "which", "who", "whom", "how")
_VERB_NEXT = ("how long", "how often", "how soon", "how far", "when", "where")
_RELATIVE = frozenset(("that", "which", "who", "whose", "whom"))
_SUBORDINATORS = frozenset(("when", "if", "before", "after", "while", "until", "once",
                            "unless", "whenever", "where"))
_DETERMINERS = frozenset(("the", "a", "an", "each", "every", "any", "this", "that", "its",
                          "their", "his", "her", "your", "our"))


def _dated_label(label: str, since: str | None) -> str:
    label = capitalise(label.strip().rstrip("?.:"))
    return f"{label} (from {since})" if since else label


def neutral_stem(label: str, lang: str, since: str | None = None) -> str:
    """The always-grammatical choice stem: "<Label>: which is correct?" (``since``: the
    effective date of a changed fact, in brackets after the label)."""
    if lang.lower().startswith("ko"):
        text = label.strip().rstrip("?.:")
        return KO_STEM.format(label=f"{since}부터 {text}" if since else text)
    return EN_STEM.format(label=_dated_label(label, since))


def is_neutral(stem: str) -> bool:
    """Tell whether a choice stem is the neutral frame."""
    return stem.endswith((": which is correct?", ": 옳은 것은?"))


def quoted_yes_no(stem: str) -> bool:
    """Tell whether a yes/no stem quotes the label as if it were a statement ("다음 내용이
    맞습니까? “…”", "Is this so: “…”?"): a fragment asserts nothing, so no item is made from
    it (the author is asked for ``ask=``)."""
    return "다음 내용이 맞습니까? “" in stem or "Is this so: “" in stem


def unasked(stem: str) -> bool:
    """A choice stem no item is made from: the neutral frame or a quoted label."""
    return is_neutral(stem) or quoted_yes_no(stem)


def neutral_statement(label: str, value: str, lang: str, since: str | None = None) -> str:
    """The always-grammatical true/false statement: "<Label>: <value>."."""
    value = value.strip().rstrip(".")
    if lang.lower().startswith("ko"):
        text = label.strip().rstrip("?.:")
        return f"{since}부터 {text}: {value}." if since else f"{text}: {value}."
    return f"{_dated_label(label, since)}: {value}."


def clause_in_noun(label: str, value: str = "") -> bool:
    """An English noun-shaped label no confident "what is the ...?" can be built around: a
    contact clause ("Notice the customer must give"), or a count whose value repeats the
    label's head ("Failed attempts before the account is locked": "3 failed attempts").
    "Balance that is refunded" and "Steps when a router is faulty" are noun phrases."""
    tokens = words(label)
    for index, word in enumerate(tokens[1:], start=1):
        if (word in MODALS or word in AUX) and not (_RELATIVE | _SUBORDINATORS).intersection(
                tokens[:index]):
            return True
    end = next((i for i, w in enumerate(tokens) if w in _SUBORDINATORS | _RELATIVE
                or w in ("for", "of", "to", "in", "on", "at", "by", "with")), len(tokens))
    head = [w for w in tokens[:min(end, 2)] if w not in _DETERMINERS]
    said = words(value)  # the head noun repeated: "Missed payments ..." = "3 payments in a row"
    clause = end < len(tokens) and tokens[end] in _SUBORDINATORS  # "... before the account"
    repeated = all(w in said for w in head) or (clause and head[-1] in said)
    return bool(head) and bool(said) and said[0][:1].isdigit() and repeated


def doubtful_question(question: str) -> bool:
    """A generated English wh-question whose wh-word is not followed by a verb ("How long
    topped-up does credit stay valid?") or whose counted noun is followed by a participle
    instead of a verb ("How many countries covered by ...?")."""
    text = re.sub(r"^(from|since) [^,]+, ", "", question.strip(), flags=re.IGNORECASE)
    lowered = text.casefold()
    verbs = AUX | MODALS | FINITE
    for head in _VERB_NEXT:
        if lowered.startswith(head + " "):
            rest = words(lowered[len(head):])
            return bool(rest) and rest[0] not in verbs and not rest[0].endswith("s")
    if lowered.startswith(("how many ", "how much ")):
        for word in words(lowered)[3:]:
            if word in verbs:
                return False
            if is_participle(word, predicates=False):
                return True
    return False


def doubtful_statement(statement: str, label: str, shape: str, value: str = "") -> bool:
    """An English statement from a wh-clause label (``embedded``) is trusted only when it
    keeps the clause's words it uses in their order, adds no word that is in neither the label nor
    the value (other than an inflection of a value word or a function word) and does not start
    with the wh-word ("when a pass day ends, 24 hours after activation.")."""
    if shape != "embedded":
        return False
    text = re.sub(r"^(from|since) [^,]+, ", "", statement.strip(), flags=re.IGNORECASE)
    tokens = words(label)
    head = next((h for h in _WH_HEADS if " ".join(tokens[:len(h.split())]) == h), None)
    if head is None:
        return False
    clause = tokens[len(head.split()):]
    said = words(text)
    if " ".join(said).startswith(head + " "):
        return True
    position = 0
    for word in (w for w in clause if w in said):  # the clause's words in the clause's order
        if word not in said[position:]:
            return True
        position = said.index(word, position) + 1
    known = set(tokens) | set(words(value)) | _FUNCTION_WORDS
    inflected = {w + ending for w in words(value) for ending in ("s", "es", "d", "ed")}
    return any(w not in known and w not in inflected and not w[:1].isdigit() for w in said)


_FUNCTION_WORDS = frozenset(("is", "are", "was", "were", "be", "do", "does", "not", "the",
                             "a", "an", "for", "to", "by", "in", "on", "at", "it", "they",
                             "you", "must", "can", "may", "should", "will", "have", "has",
                             "of", "with", "from", "after", "before", "within", "there"))


_OBLIGATION = re.compile(r"\b(need not|needn't|do not have to|does not have to|don't have to|"
                         r"doesn't have to|not required|no need|not necessary|is optional)\b",
                         re.IGNORECASE)
_PROHIBITION = re.compile(r"\b(must not|mustn't|never|may not|cannot|can't|not allowed|"
                          r"is forbidden|do not|don't)\b", re.IGNORECASE)


def _content(text: str) -> set[str]:
    """Content-word stems (first 5 letters) of ``text``."""
    return {w[:5] for w in words(text) if w not in _FUNCTION_WORDS and len(w) > 2}


def obligation(body: str, label: str) -> str | None:
    """What a "no" means for an action label ("Repeat the identity check after a transfer"),
    read from the body sentences that say "need not" or "must not" and share at least two
    content words with the label (the closest wins): ``"need_not"`` (an exemption: "need not",
    "do not have to"), ``"must_not"`` (a prohibition: "must not", "never", "do not") or
    ``None`` when the body says neither."""
    mine = _content(label)
    best: tuple[int, str | None] = (1, None)
    for sentence in re.split(r"(?<=[.!?])\s+", body.replace("==", "")):
        meaning = "need_not" if _OBLIGATION.search(sentence) else \
            "must_not" if _PROHIBITION.search(sentence) else None
        shared = len(mine & _content(sentence))
        if meaning and shared > best[0]:
            best = (shared, meaning)
    return best[1]


def action_claims(label: str, truth: bool, meaning: str | None) -> tuple[str, str] | None:
    """(true sentence, false sentence) for an action label by what its yes/no means; never a
    "should": an exemption is "do not have to", a prohibition "must not"; ``None`` when the
    body does not say which."""
    action = label.strip().rstrip(".")
    action = action[0].lower() + action[1:]
    if truth:
        return f"You must {action}.", f"You do not have to {action}."
    if meaning == "need_not":
        return f"You do not have to {action}.", f"You must {action}."
    if meaning == "must_not":
        return f"You must not {action}.", f"You may {action}."
    return None


def action_question(label: str, meaning: str | None) -> str:
    """The yes/no question for an action label: "Are you allowed to ...?" for a prohibition
    (never the stilted "May you ...?"), "Do you have to ...?" otherwise."""
    action = label.strip().rstrip(".?")
    action = action[0].lower() + action[1:]
    return f"Are you allowed to {action}?" if meaning == "must_not" else f"Do you have to {action}?"


def en_doubtful(fact: Fact, kind: str, question: str) -> bool:
    """The English question around this label cannot be trusted (see neutral.py)."""
    if kind in ("ask", "question") or count_label_question(fact):
        return False
    if kind == "open" and noun_with_infinitive(fact.label):  # "Code to switch forwarding on"
        return True
    if unphrased_label(fact.label, kind):
        return True
    if kind == "condition" and not _acts(fact.value):  # "When X starts, what happens?" with
        return True  # a noun for its answer asks nothing clear: the author writes ask=
    if kind == "noun" and _head(fact.label) in EVENTS and amount(fact.value):
        return True  # "the 80 % alert on the 50 GB plan is 40 GB": an alert is no amount
    said = re.match(r"what (to|should you|do you) (tell|say|ask)\b", fact.label.strip(), re.I)
    first = words(fact.value)[:1]
    if said and first and (first[0] in IMPERATIVES or first[0] in BASE_VERBS) \
            and first[0] not in ("say", "tell", "ask"):
        return True  # "What should you tell …?" answered by an action ("read the warning …")
    tail = fact.label.strip().rstrip(",").rpartition(",")
    if tail[1] and kind != "condition" and not re.search(r"\b(and|or)\b", tail[2]):
        return True  # a clause after a comma ("Fee, unless the customer moved"), not a list
        # ("Rate to the USA, Canada and China"): no question is built around it
    if kind == "noun" and clause_in_noun(fact.label, fact.value) \
            and not fact.label.casefold().startswith(("number of", "how ")):
        return True
    return kind in ("noun", "embedded") and doubtful_question(question)


# things that happen or are sent, never equal to an amount ("… alert is 40 GB")
EVENTS = frozenset(("alert", "alerts", "notification", "notifications", "reminder",
                    "reminders", "warning", "warnings", "message", "messages", "text", "texts",
                    "sms", "email", "e-mail", "letter", "letters", "call", "calls", "visit"))


_MODALS = frozenset(("must", "should", "can", "may", "will", "shall", "might", "could",
                     "needs", "need", "has", "have"))


def unphrased_label(label: str, kind: str) -> bool:
    """A label no template can be put around: verb-initial ("Must be done before …"), a
    question word before an infinitive taken for a condition ("When to book …"), or a noun
    with a relative clause without "that" ending on a preposition ("Charges the discount
    does not apply to"). The author is asked to write ``ask=``."""
    tokens = [t.casefold() for t in re.findall(r"[\w'-]+", label)]
    if len(tokens) < 2:
        return False
    if tokens[0] in _MODALS and tokens[1] in ("be", "to", "not", "been"):
        return True
    if kind == "condition" and tokens[1] == "to":
        return True
    plural = tokens[0].endswith("s") and not tokens[0].endswith("ss")  # "Charges", not "Call"
    return kind == "open" and plural and tokens[1] in ("the", "a", "an", "your", "their", "its") \
        and any(t in AUX for t in tokens[2:])


def do_not_inserted(positive: str, negative: str) -> bool:
    """The negation only inserts "do not" before a plain verb ("Sole traders (do not)
    qualify ...")."""
    return " do not " in negative and negative.replace(" do not ", " ", 1) == positive


def action_label(fact: Fact, lang: str) -> bool:
    """An English yes/no label that is an instruction ("Repeat the check after a transfer"):
    its "no" may be an exemption or a prohibition, never a "should not"."""
    if fact.ask or lang.lower().startswith("ko") or fact.label.strip().endswith("?"):
        return False
    found = claims(fact.label, lang)
    return bool(found) and found[0].startswith("you should ")
