"""Yes/no facts as claims: "The disputed amount is held from collection" and its negation.

A yes/no fact's label states something that is now so or not so. A true/false item judges a
sentence, so the label is turned into a sentence (the *claim*) and, where the verb is known,
into its negation. English: a label with a finite verb ("114 agents can order a replacement
USIM") is negated at the verb; a noun phrase with a participle ("Separate Wi-Fi bundle
needed") gets "is"/"are"; an imperative ("Ask the customer to ...") becomes "you should ...".
Korean: a label ending in a Sino-Korean verbal noun ("주말 설치 추가 요금 부과", "결합상품 필요
여부") gets its particle and 합니다/하지 않습니다; "-는지" and "-나요?" endings become 습니다 forms.
:func:`claims` returns ``None`` when the label is none of these: the author then writes the
question with ``ask="..."``.
"""

from __future__ import annotations

import re

from app.domain.generation.korean_claims import korean_claims
from app.domain.generation.labels import (
    ARTICLES,
    AUX,
    FINITE,
    OPEN_END,
    PREDICATES,
    capitalise,
    finite_verb_at,
    in_sentence,
    is_participle,
    plural_head,
    s_verb_at,
    verb_base,
    with_article,
)

IMPERATIVES = frozenset((
    "ask", "call", "tell", "send", "give", "charge", "offer", "transfer", "check", "refund",
    "apply", "waive", "accept", "require", "record", "keep", "use", "hand", "issue", "book",
    "cancel", "end", "collect", "confirm", "contact", "enter", "add", "remove", "sign", "explain",
    "verify", "escalate", "suspend", "block", "allow", "create", "open", "close", "write",
    "note", "register", "process", "submit", "text", "connect", "install", "activate", "approve",
    "combine", "order", "offer", "recommend", "promise", "quote", "bill", "credit", "log",
    "read", "share", "change", "reset", "unlock", "see", "tell", "waive", "refund", "join",
    # actions customers and agents take on a call or a phone
    "reply", "dial", "press", "visit", "download", "tap", "select", "scan", "upload", "restart",
    "reboot", "insert", "switch", "turn", "top", "bring", "show", "fill", "complete", "email",
    "print", "return", "wait", "pay", "go", "log", "report", "forward", "redirect", "transfer",
    "book", "schedule", "reschedule", "update", "verify", "disable", "enable", "install",
    "uninstall", "power", "hold", "search", "follow", "type", "key", "copy", "attach", "post",
    "mail", "fax", "ring", "message", "chat", "apply", "renew", "top-up", "pick", "drop", "run",
    "restore", "replace", "swap", "rebook", "retry", "repeat", "test", "make", "let", "put",
    "do", "say", "treat", "handle", "direct", "route", "advise", "inform", "remind", "warn",
))
BASE_VERBS = IMPERATIVES | frozenset((
    "roll", "carry", "expire", "renew", "count", "need", "pay", "work", "stay", "cost",
    "include", "cover", "last", "reach", "receive", "get", "keep", "run", "start", "end",
    "apply", "take", "go", "move", "continue", "return", "arrive", "lose", "earn", "accept",
    "slow", "drop", "stop", "expire", "happen", "need", "want", "leave", "come", "have",
))
_NEGATE_AUX = {"can": "cannot", "is": "is not", "are": "are not", "was": "was not",
               "were": "were not", "must": "must not", "may": "may not", "should": "should not",
               "will": "will not", "does": "does not", "do": "do not", "has": "has not",
               "have": "have not", "could": "could not", "would": "would not"}
_SINGULAR_START = ("separate", "additional", "extra", "new", "second", "single")
def claims(label: str, lang: str) -> tuple[str, str] | None:
    """The label as (claim, its negation), each a sentence without the final full stop."""
    if lang.lower().startswith("ko"):
        return korean_claims(label.strip())
    if label.strip().endswith("?"):
        return _from_question(label.strip().rstrip("?"))
    text = re.sub(r"^(whether|if)\s+", "", label.strip().rstrip("."), flags=re.IGNORECASE)
    return _english(capitalise(text))  # "Whether a member can leave" -> "A member can leave"


def _from_question(question: str) -> tuple[str, str] | None:
    """"Can the promotion be combined with X?" -> "The promotion can be combined with X";
    "Does unused data roll over?" -> "Unused data rolls over"."""
    parts = question.split()
    lowered = [p.casefold() for p in parts]
    if len(parts) < 3 or lowered[0] not in _EN_MOVABLE:
        return None
    doing = lowered[0] in ("does", "do")  # "Does data used on the phone slow down?": the
    being = lowered[0] in ("is", "are", "was", "were")  # verb, not the participle
    split = next((i for i in range(2, len(parts)) if lowered[i - 1] not in ARTICLES and (
        (lowered[i] in BASE_VERBS and not being)
        or not doing and (lowered[i] in ("be", "have", "get") or is_participle(lowered[i])))),
        None)
    if split is None:
        return None
    if doing and split + 1 < len(parts) and lowered[split + 1] in BASE_VERBS:
        split += 1  # "Does a plan change restart ...?": "change" is part of the subject
    subject, rest = capitalise(" ".join(parts[1:split])), " ".join(parts[split:])
    if lowered[0] in ("does", "do"):
        verb = lowered[split] if lowered[0] == "do" else third_person(lowered[split])
        positive = " ".join([subject, verb, *parts[split + 1:]])
        negative = f"{subject} {lowered[0]} not {rest}"
        if negative.endswith(" too"):
            negative = negative[:-4] + " either"
        return positive, negative
    negative = _NEGATE_AUX.get(lowered[0], f"{lowered[0]} not")
    if lowered[0] == "must":  # "Must X sign again?" -> "X does not have to sign again"
        plural = plural_head(subject) or subject.casefold() in ("you", "we", "they")
        negative = "do not have to" if plural else "does not have to"
    return f"{subject} {lowered[0]} {rest}", f"{subject} {negative} {rest}"


def third_person(verb: str) -> str:
    """"roll" -> "rolls", "carry" -> "carries", "reach" -> "reaches"."""
    if verb == "have":
        return "has"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "o")) else "s")


SUBORDINATORS = frozenset(("while", "when", "whenever", "if", "unless", "until", "once",
                           "because", "although", "though", "where", "after", "before"))


def main_clause_end(tokens: list[str]) -> int:
    """Where a label's main clause ends: at its first subordinate conjunction ("Late fee
    charged | while a dispute is open"), so a verb of the subordinate clause is never the one
    negated."""
    return next((i for i, w in enumerate(tokens) if i and w in SUBORDINATORS), len(tokens))


def _english(label: str) -> tuple[str, str] | None:
    parts = label.split()
    tokens = [p.casefold().strip(",.;:") for p in parts]
    if tokens and (tokens[0] in AUX or tokens[0] in FINITE) and len(tokens) > 1:
        # "Can be combined with ...", "Renews by itself": the subject is the change itself
        parts, tokens = ["It", in_sentence(parts[0]), *parts[1:]], ["it", *tokens]
    if not tokens:
        return None
    main = tokens[:main_clause_end(tokens)]
    relative = _after_relative(main)
    if relative is not None and plural_head(parts[0]):
        # "Customers who move house keep their number" -> "... do not keep their number"
        return label, " ".join([*parts[:relative], "do not", *parts[relative:]])
    verb = finite_verb_at(main)
    plural = next((i for i in range(1, min(len(main), 4)) if main[i] in BASE_VERBS
                   and _plural_word(main[i - 1])), None) if verb is None else None
    if plural is not None and len(main) > plural + 1:
        # "Parents get an alert ..." / "Existing customers need to reapply" -> "... do not ..."
        return label, " ".join([*parts[:plural], "do not", *parts[plural:]])
    participle = next((i for i, w in enumerate(main) if i and is_participle(w)
                       and main[i - 1] not in ARTICLES | OPEN_END), None)
    if verb is None:
        verb = s_verb_at(main, 1, last=False)  # "Data used on the phone slows down too"
        if verb is not None and main[verb - 1] in OPEN_END | ARTICLES:
            verb = None  # "Fee waived for customers over 65": "customers" is no verb
    if verb is not None:
        return _negate_at(parts, verb)
    late = late_verb(main, participle) if participle is not None else None
    if late is not None:
        # "Outages caused by the customer's own equipment |earn| a credit": the participle
        # belongs to the subject; the negation goes on the main verb, never "are not caused"
        if not _plural_word(main[0]):
            return None
        return label, " ".join([*parts[:late], "do not", *parts[late:]])
    if participle is not None:
        subject = " ".join(parts[:participle])
        rest = " ".join(parts[participle:])
        be = "are" if plural_head(subject) else "is"
        return f"{_determiner(subject)} {be} {rest}", f"{_determiner(subject)} {be} not {rest}"
    if tokens[0] in IMPERATIVES and len(tokens) > 1:
        return f"you should {in_sentence(label)}", f"you should not {in_sentence(label)}"
    subject_verb = _plural_subject_verb(tokens)
    if subject_verb is not None:
        # "Sole traders qualify for the discount" -> "... do not qualify ...", never "There
        # is a sole traders qualify ..."
        return label, " ".join([*parts[:subject_verb], "do not", *parts[subject_verb:]])
    return _there_is(label, tokens)


_LINKS = frozenset(("for", "after", "before", "to", "on", "in", "at", "with", "from", "by",
                    "when", "if", "the", "a", "an", "their", "its", "every", "each", "again"))
_NOT_VERBS = _LINKS | frozenset(("and", "or", "of", "per", "only", "abroad", "free", "extra"))


def late_verb(tokens: list[str], participle: int) -> int | None:
    """A plain verb after a participle phrase ("Outages caused by the customer's own
    equipment |earn| a credit"): a base verb not after an article or a preposition, followed
    by an article, a preposition or nothing."""
    for index in range(participle + 2, len(tokens) - 1):
        word, before, after = tokens[index], tokens[index - 1], tokens[index + 1]
        if word in SUBORDINATORS or word in AUX or word in FINITE:
            return None  # "charged while a dispute is open": another clause
        if word in BASE_VERBS and before not in ARTICLES | _LINKS | OPEN_END \
                and after in _LINKS | ARTICLES | {"no", "extra", "any"}:
            return index
    return None


def _plural_subject_verb(tokens: list[str]) -> int | None:
    """The index of a plain verb right after a plural subject of one to three words ("Sole
    traders qualify for ...", "Contract months restart after ..."): a plural word, then a
    word that is no noun ending, no adverb and no link, then a preposition or article."""
    for index in range(1, min(len(tokens) - 1, 4)):
        word, before, after = tokens[index], tokens[index - 1], tokens[index + 1]
        if _plural_word(before) and word.isalpha() and word not in _NOT_VERBS \
                and not word.endswith(("s", "ed", "ing", "ly")) and after in _LINKS:
            return index
    return None


def _there_is(label: str, tokens: list[str]) -> tuple[str, str] | None:
    """A noun phrase with no verb ("Free installation on weekends", "Priority queue for business
    customers"): "There is (no) ..."; ``None`` for a predicate adjective ("Available in shops")
    or a label that starts with a preposition."""
    predicate = tokens[0] in PREDICATES and (len(tokens) < 2 or tokens[1] in OPEN_END)
    if predicate or tokens[0] in OPEN_END or tokens[0] in ARTICLES or any(
            w in AUX or w in FINITE for w in tokens):
        return None
    be = "are" if plural_head(label) else "is"
    bare = in_sentence(label)
    return f"There {be} {in_sentence(with_article(label))}", f"There {be} no {bare}"


UNCOUNTED = frozenset(("consent", "approval", "permission", "proof", "identification",
                       "verification", "authorisation", "authorization", "training"))


def _plural_word(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s"))


def _after_relative(tokens: list[str]) -> int | None:
    """The main verb after a subject's relative clause ("customers who move house |keep| ..."):
    the next base verb after the relative clause's own verb."""
    if len(tokens) < 5 or tokens[1] not in ("who", "that") or not tokens[2].isalpha():
        return None
    return next((j for j in range(3, len(tokens)) if tokens[j] in BASE_VERBS
                 and tokens[j - 1] not in ARTICLES), None)  # "the |call|" is a noun


def _determiner(subject: str) -> str:
    first = subject.split()[0]
    named = first[1:] != first[1:].lower()  # "Wi-Fi calling", "WiBro"
    if first.casefold() in ("the", "a", "an", "every", "all", "any") or first[:1].isdigit() \
            or first.casefold().endswith("ing") or named or plural_head(subject):
        return capitalise(subject)  # "Porting is ...", "International calls are ..."
    if subject.split()[-1].casefold() in UNCOUNTED:  # "Parental consent is needed"
        return capitalise(subject)
    if first.casefold() in _SINGULAR_START:
        article = "An" if first[:1].lower() in "aeiou" else "A"
        return f"{article} {in_sentence(subject)}"
    return f"The {in_sentence(subject)}" if first[1:] == first[1:].lower() else f"The {subject}"


def _negate_at(parts: list[str], verb: int) -> tuple[str, str]:
    if verb == 1 and parts[0][:1].isupper() and parts[0][1:].islower() and not plural_head(
            parts[0]) and parts[0].casefold() not in ARTICLES | {"it", "you", "we", "they"}:
        parts = [f"The {parts[0].casefold()}", *parts[1:]]  # "Customer must ..." -> "The ..."
    word = parts[verb].casefold()
    following = parts[verb + 1].casefold() if verb + 1 < len(parts) else ""
    if word in ("have", "has") and following == "to":  # "have to apply" -> "do not have to"
        negative = parts[:verb] + ["do not have" if word == "have" else "does not have"] \
            + parts[verb + 1:]
    elif word == "must":  # an obligation's negation is "need not", never a prohibition
        subject = " ".join(parts[:verb])
        plural = plural_head(subject) or subject.casefold() in ("you", "we", "they")
        negative = parts[:verb] + ["do not have to" if plural else "does not have to"] \
            + parts[verb + 1:]
    elif word in _NEGATE_AUX:
        negative = parts[:verb] + [_NEGATE_AUX[word]] + parts[verb + 1:]
    elif word in AUX:  # cannot, can't: already negative
        positive_word = {"cannot": "can", "can't": "can"}.get(word, word)
        negative = parts[:verb] + [positive_word] + parts[verb + 1:]
    elif verb and parts[verb - 1].casefold() == "still":  # "still works" -> "no longer works"
        negative = parts[:verb - 1] + ["no longer", parts[verb]] + parts[verb + 1:]
    else:  # "applies" -> "does not apply"
        negative = parts[:verb] + ["does not", verb_base(word)] + parts[verb + 1:]
    if negative[-1].casefold() == "too":  # "does not slow down too" -> "... either"
        negative = [*negative[:-1], "either"]
    return " ".join(parts), " ".join(negative)


_KO_ASK = (("습니다", "습니까?"), ("합니다", "합니까?"), ("됩니다", "됩니까?"),
           ("입니다", "입니까?"), ("니다", "니까?"))
_EN_MOVABLE = frozenset(("is", "are", "can", "must", "may", "should", "will", "does", "do",
                         "has", "have", "could", "would"))


def question_from_claim(claim: str, lang: str) -> str | None:
    """A yes/no question from a claim: "A separate Wi-Fi bundle is needed" -> "Is a separate
    Wi-Fi bundle needed?"; "별도 결합상품이 필요합니다" -> "별도 결합상품이 필요합니까?"."""
    if lang.lower().startswith("ko"):
        for ending, asked in _KO_ASK:
            if claim.endswith(ending):
                return claim[: -len(ending)] + asked
        return None
    parts = claim.split()
    lowered = [p.casefold() for p in parts]
    if lowered[:2] == ["you", "should"]:
        return "Should you " + " ".join(parts[2:]) + "?"
    if _after_relative(lowered) is not None and plural_head(parts[0]):
        return f"Do {in_sentence(parts[0])} {' '.join(parts[1:])}?"  # "Do customers who ..."
    verb = finite_verb_at(lowered)
    plural = next((i for i in range(1, min(len(lowered), 4)) if lowered[i] in BASE_VERBS
                   and _plural_word(lowered[i - 1])), None) if verb is None else None
    if plural is not None and len(parts) > plural + 1:  # "Do existing customers need to ...?"
        return f"Do {in_sentence(parts[0])} {' '.join(parts[1:])}?"
    if verb is None:
        verb = s_verb_at(lowered, 1, last=False)
    if verb is None:
        return None
    subject = " ".join([in_sentence(parts[0]), *parts[1:verb]])
    rest = " ".join(parts[verb + 1:])
    if lowered[verb] in ("have", "has") and rest.casefold().startswith("to "):
        return f"{'Do' if lowered[verb] == 'have' else 'Does'} {subject} have {rest}".rstrip() \
            + "?"
    if lowered[verb] == "must":  # "Do existing customers have to sign again?"
        plural = plural_head(subject) or subject.casefold() in ("you", "we", "they")
        return f"{'Do' if plural else 'Does'} {subject} have to {rest}".rstrip() + "?"
    if lowered[verb] in _EN_MOVABLE:
        return f"{capitalise(lowered[verb])} {subject} {rest}".rstrip() + "?"
    return f"Does {subject} {verb_base(lowered[verb])} {rest}".rstrip() + "?"


def claim_sentence(text: str, lang: str) -> str:
    """A claim written as a sentence: capitalised (English) and ending in a full stop."""
    body = capitalise(text) if not lang.lower().startswith("ko") else text
    return body if body.endswith((".", "?", "!")) else body + "."
