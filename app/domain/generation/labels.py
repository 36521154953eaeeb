"""What shape a fact's label has, so a stem can be phrased around it.

A label is not always a noun phrase. Authors write questions ("Where can a customer get a
replacement USIM?"), embedded questions ("How customers opt in"), conditions ("If the WiBro ID
is refused at a hotspot", "고객이 해지를 요청하면"), rules that end on a preposition ("Call the
customer back within"), participles ("Handed to the customer at sign-up") and claims ("114
agents can order a replacement USIM"). :func:`label_shape` tells them apart by their words
alone (no dictionary of nouns, no model), and the phrasing module writes each shape's stems.

Shapes: ``question`` (ends with ``?``, or a direct wh-question), ``embedded`` (a wh-clause in
statement order), ``condition``, ``open`` (ends on a preposition), ``participle`` (starts with
a past participle), ``article`` (a noun phrase that brings its own article or clause, so
"the" must not be added), ``claim`` (a sentence with a finite verb: "Auto-block applies"),
``noun`` (everything else).
"""

from __future__ import annotations

import re
from functools import lru_cache

WH = ("who", "what", "which", "whose", "when", "where", "how", "why", "whether")
CONDITION = ("if", "when", "whenever", "once", "unless", "while", "after", "before")
AUX = frozenset((
    "is", "are", "was", "were", "can", "cannot", "can't", "could", "must", "may", "might",
    "should", "will", "would", "does", "do", "did", "has", "have",
))
FINITE = frozenset((
    "applies", "apply", "works", "counts", "includes", "covers", "stays", "changes", "ends",
    "starts", "expires", "renews", "owns", "proves", "gets", "takes", "goes", "pays", "keeps",
    "reaches", "receives", "holds", "sets", "decides", "needs", "lasts", "rolls", "carries",
    "charges", "runs", "requires", "allows", "gives", "costs", "accepts", "waives", "blocks",
    "moves", "resets", "continues", "returns", "joins", "opts", "signs", "logs", "arrives",
))
OPEN_END = frozenset((
    "within", "after", "before", "by", "for", "at", "to", "from", "in", "on", "of", "per",
    "than", "until", "under", "over", "via", "every", "about", "into", "with",
))
PREDICATES = frozenset(("available", "free", "possible", "eligible", "valid", "open", "closed",
                        "allowed", "required", "included", "payable", "refundable", "used"))
_IRREGULAR_PARTICIPLES = frozenset((
    "held", "paid", "given", "taken", "kept", "sent", "shown", "done", "made", "set", "cut",
    "issued", "handed", "told", "sold", "put", "read", "written", "left", "brought", "bought",
))
ARTICLES = frozenset(("a", "an", "the", "any", "every", "each", "all", "no", "this", "these",
                      "those", "that", "your", "their", "our", "its"))
_PERSONAL = re.compile(r"\b(you|they|we|he|she)\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(that|who|which)\b", re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+")

# Korean: a label ending in a verb ending is a clause, not a noun.
KO_QUESTION = re.compile(r"(\?|까|나요|가요|는가|을까|ㄹ까)\s*\??$")
KO_CONDITION = re.compile(r"(면|면서|려면|을 때|ㄹ 때|할 때|는 경우|인 경우|한 경우|시)$")
KO_EMBEDDED = re.compile(r"(는지|은지|한지|인지|던지|을지|ㄹ지|할지|있는지|없는지|여부)$")


def words(text: str) -> list[str]:
    """The words of ``text``, casefolded."""
    return [w.casefold() for w in _WORD.findall(text)]


def is_participle(word: str, *, predicates: bool = True) -> bool:
    """Tell whether an English word reads as a past participle or (``predicates``) a
    predicate adjective ("ticked", "held", "available"); "speed" and "full-speed" are not."""
    word = word.casefold()
    if word in _IRREGULAR_PARTICIPLES or (predicates and word in PREDICATES):
        return True
    return len(word) > 4 and word.endswith("ed") and not word.endswith("eed") and "-" not in word


_FOLLOWERS = frozenset(("down", "up", "over", "out", "back", "off", "a", "an", "the", "to"))


def s_verb_at(tokens: list[str], start: int, *, last: bool = True) -> int | None:
    """A third-person verb no list knows ("appears", "slows down"): a word ending in -s
    followed by a particle or an article (or, with ``last``, ending the clause)."""
    for index in range(len(tokens) - 1, start - 1, -1):
        word = tokens[index]
        plain = word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")) \
            and len(word) > 3
        follows = (last and index == len(tokens) - 1) or (
            index < len(tokens) - 1 and tokens[index + 1] in _FOLLOWERS)
        if plain and follows:
            return index
    return None


def finite_verb_at(tokens: list[str]) -> int | None:
    """Where the first finite verb of a label is (not its first word), or ``None``."""
    for index, word in enumerate(tokens[1:], 1):
        if word in AUX or word in FINITE:
            return index
    return None


@lru_cache(maxsize=2048)
def english_shape(label: str) -> str:
    """The shape of an English label (see the module docstring)."""
    text = label.strip()
    tokens = words(text)
    if not tokens:
        return "noun"
    first = tokens[0]
    if text.endswith("?"):
        return "question"
    if first in CONDITION and not (first == "when" and len(tokens) > 1 and tokens[1] in AUX):
        return "condition"
    if first in WH:
        return "question" if _direct_question(tokens) else "embedded"
    if tokens[-1] in OPEN_END and not _RELATIVE.search(text):  # not "data that can roll over"
        return "open"
    if is_participle(first, predicates=False) and len(tokens) > 1 and tokens[1] in OPEN_END:
        return "participle"  # "Handed to ...", not "Eligible plan" or "Registered numbers"
    if first in ARTICLES:
        return "article"  # "A Wi-Fi question you cannot answer": brings its own article
    verb = finite_verb_at(tokens)
    if verb is not None and not ARTICLES.intersection(tokens[1:verb]):
        # "Grading takes": the value completes it; "114 agents can order ...": a claim;
        # "Credit the owner can approve" is a noun phrase
        return "open" if verb == len(tokens) - 1 and tokens[verb] in FINITE else "claim"
    return "noun"


def _direct_question(tokens: list[str]) -> bool:
    """"Who owns ...", "Which document proves ...", "How long does ...": already a question."""
    verb = finite_verb_at(tokens)
    if verb is None:  # "Who makes a promised callback": who + a verb in -s
        return tokens[0] == "who" and len(tokens) > 2 and len(tokens[1]) > 3 \
            and tokens[1].endswith("s") and not tokens[1].endswith(("ss", "us", "is"))
    if verb == 1 or (tokens[0] == "how" and verb == 2):
        return True
    if tokens[1] in ARTICLES:  # "What the installer does after ...": an embedded clause
        return False
    return tokens[0] in ("who", "what", "which", "whose") and verb <= 3 \
        and tokens[verb].endswith("s")


@lru_cache(maxsize=2048)
def korean_shape(label: str) -> str:
    """The shape of a Korean label: question, condition, embedded or noun."""
    text = label.strip()
    if KO_QUESTION.search(text):
        return "question"
    if (KO_CONDITION.search(text) and not _modified_noun(text)) or _rieul_when(text):
        return "condition"
    if KO_EMBEDDED.search(text):
        return "embedded"
    return "noun"


def _modified_noun(text: str) -> bool:
    """"이메일을 등록하는 화면", "결제 화면": the last word is a noun (a relative clause in
    -하는/-되는/-있는/-없는/-던 modifies it, or it is a noun in 면), so its 면 is no
    condition (not "…화면 어떻게 처리합니까?"). "해지할 때", "신청한 경우" stay conditions."""
    parts = text.split()
    if parts and parts[-1] in _MYEON_NOUNS:
        return True  # "결제 화면", "계약서 서면": a noun, whatever comes before it
    if len(parts) < 2 or parts[-1] in ("때", "경우", "시"):
        return False
    return parts[-2].endswith(("하는", "되는", "있는", "없는", "던"))  # not "…대상이면"


# nouns ending in 면 (a side, a screen, a surface ...), not the conditional -면
# (not 내면/이면/지면/서면/대면: also 내다, 이다, 지다, 서다, 대다 + -면)
_MYEON_NOUNS = frozenset(("화면", "측면", "전면", "정면", "방면", "단면", "표면", "장면", "후면",
                          "국면", "양면", "뒷면", "앞면", "면"))


def _rieul_when(text: str) -> bool:
    """"결제가 반송될 때", "요금을 낼 때": a verb in -ㄹ before 때 (a condition, not a noun)."""
    if not text.endswith(" 때") or len(text) < 3:
        return False
    code = ord(text[-3]) - 0xAC00
    return 0 <= code < 11172 and code % 28 == 8  # final ㄹ


def verb_base(word: str) -> str:
    """"reaches" -> "reach", "applies" -> "apply", "lasts" -> "last"."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word.removesuffix("s")


def ko_question_from_embedded(label: str) -> str | None:
    """"해외에서 사용 가능한지" -> "해외에서 사용 가능합니까?" (``None`` if not understood)."""
    text = label.strip()
    for ending, polite in (("있는지", "있습니까?"), ("없는지", "없습니까?"), ("되는지", "됩니까?"),
                           ("하는지", "합니까?"), ("한지", "합니까?"), ("인지", "입니까?")):
        if text.endswith(ending):
            return text[: -len(ending)] + polite
    if text.endswith("는지") and len(text) > 2:  # "채널 번호가 바뀌는지" -> "바뀝니까?"
        stem = text[:-2]
        code = ord(stem[-1]) - 0xAC00
        if 0 <= code < 11172 and code % 28 == 0:
            return stem[:-1] + chr(ord(stem[-1]) + 17) + "니까?"  # final ㅂ
        if 0 <= code < 11172:
            return stem + "습니까?"
    return None


_HEAD_END = frozenset(("when", "if", "while", "where", "whenever", "once", "unless", "until",
                       "who", "which", "whose", "a", "an", "the", "of", "to", "for", "per",
                       "before", "after", "in", "on",
                       "at", "from", "with", "without", "by", "under", "within", "that"))


def plural_head(label: str) -> bool:
    """Tell whether a noun phrase's head is plural: "Voice minutes a month", "Documents",
    "Plans open to ..." (a predicate adjective after the head ends it), and a coordination
    ("Gifts or cash ...", "Name and address"): plural with "and", or when one of the nouns
    joined by "or" is plural."""
    heads, head, joined, size = [], "", False, 0
    for index, word in enumerate(words(label)):
        if word in ("or", "and", "&") and head:
            heads.append(head)
            joined, head, size = joined or word != "or", "", 0
            continue
        if word in _HEAD_END or (index and (is_participle(word) or word.isdigit())):
            break  # "Address 112 and 119 see ...": a number after the head ends it
        head, size = word, size + 1
    heads.append(head)
    plural = [h.endswith("s") and not h.endswith(("ss", "us", "is")) and len(h) > 3
              for h in heads if h]
    if heads[:-1] and size > 1:  # "Voice and data bundle": the nouns before "and" modify
        return plural[-1] if plural else False  # "bundle", the one head
    return any(plural) or (joined and len(plural) > 1)


MASS = frozenset(("consent", "approval", "permission", "proof", "identification", "payment",
                  "verification", "authorisation", "authorization", "notice", "training",
                  "data", "information", "money", "credit", "access", "support", "service",
                  "billing", "roaming", "traffic", "speed", "storage", "coverage", "insurance",
                  "equipment", "advice", "feedback", "voicemail", "mail", "music", "wi-fi"))


def with_article(phrase: str) -> str:
    """"Supervisor callback" -> "A supervisor callback"; plural heads, -ing words, mass nouns,
    names and phrases that have a determiner stay as they are."""
    parts = phrase.split()
    if not parts:
        return phrase
    first = parts[0]
    head = ""
    for index, word in enumerate(words(phrase)):
        if word in _HEAD_END or (index and is_participle(word, predicates=False)):
            break
        head = word
    keep = (first.casefold() in ARTICLES or first[1:] != first[1:].lower() or first[:1].isdigit()
            or plural_head(phrase) or head.endswith("ing") or head in MASS)
    if keep:
        return phrase
    article = "An" if first[:1].casefold() in "aeiou" else "A"
    return f"{article} {in_sentence(phrase)}"


def capitalise(text: str) -> str:
    """Upper-case the first letter only."""
    return text[:1].upper() + text[1:]


PROPER_WORDS = frozenset((
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "korea", "korean", "english"))


def in_sentence(text: str) -> str:
    """Lower-case the first letter unless the first word is a name or code ("Wi-Fi", "114")."""
    first = text.split(" ", 1)[0]
    if first[1:] != first[1:].lower() or first.isupper() and len(first) > 1 \
            or first.casefold().removesuffix("'s") in PROPER_WORDS:
        return text
    return text[:1].lower() + text[1:]
