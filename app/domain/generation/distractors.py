"""Where wrong options come from: a registry of distractor sources, tried in priority order.

A source is ``source(doc, fact, context, value) -> [raw value, ...]``, where ``value`` is the
correct answer being tested (the fact's value, or a marked term for a cloze item). Its name is
the ``source`` recorded on the wrong option (product.md, section 2).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from itertools import chain

from app.domain.bulletin.types import BulletinDoc, Fact, OptionDraft
from app.domain.generation.claims import BASE_VERBS, IMPERATIVES
from app.domain.generation.context import GenerationContext
from app.domain.generation.gates import lengths_comparable
from app.domain.generation.korean import attach, predicate
from app.domain.generation.ladders import (
    date_ladder,
    duration_ladder,
    money_ladder,
    quantity_ladder,
    swapped_digits,
)
from app.domain.generation.limits import below_limit
from app.domain.generation.normalise import (
    bare,
    contains_text,
    normalise,
    same_text,
    significant_words,
)
from app.domain.generation.option_sets import holds_key, repeats_element, restricted_inside
from app.domain.generation.phrasing import display_value, flip_bool
from app.domain.generation.values import (
    amount,
    is_code,
    numbered_name,
    same_kind,
    steps,
    unit_family,
)

DistractorSource = Callable[[BulletinDoc, Fact, GenerationContext, str], list[str]]
DISTRACTOR_SOURCES: dict[str, DistractorSource] = {}
DEFAULT_ORDER = ("old", "not", "other_bulletin", "glossary", "perturbed")
MAX_WRONG = 3
AUTHORED = ("old", "not")  # values the author wrote for this fact: their wording is trusted


def distractor_source(name: str) -> Callable[[DistractorSource], DistractorSource]:
    """Register a distractor source under ``name`` (one of ``OPTION_SOURCES``)."""

    def register(source: DistractorSource) -> DistractorSource:
        """Add ``source`` to :data:`DISTRACTOR_SOURCES` and return it unchanged."""
        DISTRACTOR_SOURCES[name] = source
        return source

    return register


@distractor_source("old")
def _old(doc: BulletinDoc, fact: Fact, context: GenerationContext, value: str) -> list[str]:
    return [fact.old_value] if fact.old_value else []


@distractor_source("not")
def _not(doc: BulletinDoc, fact: Fact, context: GenerationContext, value: str) -> list[str]:
    return list(fact.not_values)


@distractor_source("other_bulletin")
def _other_bulletin(doc: BulletinDoc, fact: Fact, context: GenerationContext,
                    value: str) -> list[str]:
    # Facts of the same type with a related label (the context's index finds them in order).
    out: list[str] = []
    for other in context.index.related(fact):
        if same_text(fact.label, other.label):  # its value is true there: only its wrong ones
            out += ([other.old_value] if other.old_value else []) + list(other.not_values)
        elif (fact.type.startswith("enum:") or close_labels(fact.label, other.label)) \
                and len(steps(fact.value)) < 3:  # another feature's menu path: implausible
            out += [other.value] + ([other.old_value] if other.old_value else [])
    return out


def part_of(key: str, candidate: str) -> bool:
    """Tell whether ``candidate`` is a part of ``key``: printed in it ("병적증명서" in "병적증명서
    또는 복무확인서") or a proper subset of its list items ("앱, 114" of "앱, 웹, 114")."""
    if len(normalise(candidate)) < len(normalise(key)) and contains_text(key, candidate):
        return True
    mine = {normalise(piece) for piece in _pieces(key)}
    theirs = {normalise(piece) for piece in _pieces(candidate)}
    return len(mine) > 1 and bool(theirs) and theirs < mine


def _near_amount(key: str, text: str) -> bool:
    """An amount not written by the author stays within a quarter to 3 times the key."""
    mine, theirs = amount(key), amount(text)
    if mine is None or theirs is None or mine[1] == 0:
        return True
    return mine[1] / 4 <= theirs[1] <= mine[1] * 3


def _free(key: str) -> bool:
    """A zero amount ("0원"): near values are judged against the old price instead."""
    found = amount(key)
    return found is not None and found[1] == 0


def close_labels(a: str, b: str) -> bool:
    """Two text labels ask about the same kind of thing: half their words are shared."""
    mine, theirs = significant_words(a), significant_words(b)
    return bool(mine and theirs) and len(mine & theirs) * 2 >= len(mine | theirs)


@distractor_source("glossary")
def _glossary(doc: BulletinDoc, fact: Fact, context: GenerationContext, value: str) -> list[str]:
    if fact.type.startswith("enum:"):
        return list(context.glossary.get(fact.type.removeprefix("enum:"), ()))
    out: list[str] = []
    for terms in context.glossary.values():
        if any(same_text(term, value) for term in terms):
            out += terms
    return out


@distractor_source("perturbed")
def _perturbed(doc: BulletinDoc, fact: Fact, context: GenerationContext, value: str) -> list[str]:
    if fact.type == "bool":
        flipped = flip_bool(value)
        return [flipped] if flipped else []
    return near_values(doc, fact, value)


_AGE_WORDS = ("age", "aged", "나이", "연령", "세 이상", "세 이하")
_CONTRACT_WORDS = ("contract", "약정")


def near_values(doc: BulletinDoc, fact: Fact, value: str) -> list[str]:
    """Near misses of ``value`` that stay inside the fact's domain, nearest first.

    Dates: month boundaries and a week either side. Money: ±10 %, half, double (a free amount
    borrows the old price's). Amounts: ages by a few years, counts by one or two, durations on
    their unit's ladder (working days, contract months 12/24/36), sizes on round numbers near
    the key. Codes and phone numbers: one digit changed. Ordered steps: two steps swapped.
    Lists: none (an element spliced into the key's list is garbled or still true; the
    author's ``was:``/``not:`` values are clean). Two things ("신분증과 재직증명서"): one of the
    two replaced by a known wrong thing, only when every half names a whole thing.
    """
    if fact.type == "date":
        return date_ladder(value, doc.lang)
    if fact.type == "text" and is_code(value):  # 00345, 1335, *88, 080-300-0112: codes
        return swapped_digits(value)
    if fact.type == "money" or unit_family(value) == "money":
        return money_ladder(value, around=fact.old_value)
    if numbered_name(value, fact.type):
        return []  # "114 바로연결" is a name: "100 바로연결" would be invented
    if amount(value):
        return _amount_ladder(doc, fact, value)
    if is_code(value):
        return swapped_digits(value)
    if len(steps(value)) > 2:  # a procedure's steps swapped; a navigation path
        return _swapped_steps(value) if all(map(_action, steps(value))) else []  # never
    return _paired_variants(fact, value)  # a list or a compound is never spliced ("매월 5일,
    # 10일, ..., 매월 10일", "menu 9, menu 0"): its wrong options are the author's values


def _amount_ladder(doc: BulletinDoc, fact: Fact, value: str) -> list[str]:
    family = unit_family(value)
    label = fact.label.casefold()
    if any(word in label for word in _AGE_WORDS):
        family = "age"
    if fact.type == "duration":
        contract = any(word in label for word in _CONTRACT_WORDS)
        found = duration_ladder(value, contract=contract)
        if found:
            return found
    return quantity_ladder(value, family)


def _action(step: str) -> bool:
    """A step that is something done ("verify identity", "본인 확인", "신고서 접수하기"),
    not a place in a menu or a site ("olleh.com", "Billing", "와이파이"): only the order of
    actions is swapped; a path with its segments moved ("Billing → olleh.com → ...") is
    nonsense, so a path gets the author's values only."""
    first = step.split()[0].casefold() if step.split() else ""
    if first in BASE_VERBS or first in IMPERATIVES:
        return True
    return bool(re.search(r"[가-힣]", step)) and predicate(step) is not None


def _swapped_steps(value: str) -> list[str]:
    parts = steps(value)
    arrow = next((f" {a} " for a in ("→", "->", "⇒", ">") if a in value), " → ")
    out = []
    for i in range(len(parts) - 1):
        swapped = parts[:i] + [parts[i + 1], parts[i]] + parts[i + 2:]
        out.append(arrow.join(swapped))
    return out


_PAIR = re.compile(
    r"^(?P<a>.+?)(?P<join>\s(?:and|or|및|또는)\s|(?<=[가-힣])(?:과|와)\s)(?P<b>.+)$")


def pair(value: str) -> tuple[str, str, str] | None:
    """A value naming two things ("신분증과 기존 통신사 요금 청구서", "ID card and a family
    relationship certificate") or two alternatives ("sequential or round-robin order", "문자
    또는 이메일"): (first, joining word, second); ``None`` otherwise."""
    found = _PAIR.match(value.strip())
    if found is None or "," in value or len(found["a"].split()) > 4:
        return None
    first = found["a"].split()[0].casefold()
    if first in BASE_VERBS or first in ("must", "can", "will") or found["b"].split()[0].casefold(
            ) in _NOT_A_THING:
        return None  # "stay with us and keep ...", "Standard 30 GB and above": no two things
    if _STEP.search(found["a"]):
        return None  # "로그인 후 휴대폰 본인인증과 비밀번호 재설정": steps, not two things
    if any(_CLAUSE_WORD.search(half) for half in (found["a"], found["b"])):
        return None  # "a recorded message plays and the call does not connect": clauses
    head = found["b"].split()[-1]
    if re.fullmatch(r"[a-z]+[^su]s", head) and len(found["a"].split()) <= 2 \
            and head[:-1] not in found["a"].casefold():
        return None  # "the Yongsan and Mapo exchanges": one head noun for both names
    return found["a"], found["join"], found["b"]


_CLAUSE_WORD = re.compile(r"\b(?:does|do|did|is|are|was|were|not|will|can|cannot|must|has|"
                          r"have)\b", re.IGNORECASE)


_STEP = re.compile(r"(?:^|\s)(후|다음|뒤|then|after|once)(?:\s|$)", re.IGNORECASE)
_NOT_A_THING = frozenset(("above", "over", "more", "later", "older", "up", "below", "under",
                          "less", "newer", "higher", "lower", "earlier", "longer", "fewer",
                          "younger", "so", "both", "either",
                          "함께", "같이"))  # "가족관계증명서와 함께 신청": one action


def _paired_variants(fact: Fact, value: str) -> list[str]:
    """Two-thing values get two-thing wrong options: one of the two replaced by a known
    wrong thing (the key is not the only compound option, so its form gives nothing away)."""
    found = pair(value)
    if found is None or not _whole_thing(found[2]):
        return []  # "와이브로 30기가와 50기가": the second half leans on the first's name
    first, join, second = found
    known = [re.sub(r"\s+only$", "", v, flags=re.IGNORECASE)  # "a student card only"
             for v in (fact.old_value, *fact.not_values) if v and pair(v) is None
             and _whole_thing(v) and not _KO_ONLY.search(v)]  # "지번 주소만": no 만과
    known = [other for other in known if _words(other) <= 3 and not any(
        contains_text(other, mine) or contains_text(mine, other) for mine in (first, second))]
    korean = join.strip() in ("과", "와")  # the particle follows the new first word

    def joined(a: str, b: str) -> str:
        return f"{attach(a, '과')} {b}" if korean else f"{a}{join}{b}"

    out = []
    for other in known:  # never two of one kind ("Android 10 or Android 8")
        out += [joined(a, b) for a, b in ((first, other), (other, second))
                if a.split()[0].casefold() != b.split()[0].casefold()]
    if len(known) >= 2:  # one option sharing no part with the key: beside only one-part
        out.insert(1, joined(known[0], known[1]))  # swaps the key is the one sharing a part
    return out  # with every other (a convergence cue)


def _words(thing: str) -> int:
    """Words of a thing without its article: "the child's student ID" is three, like "신분증
    사본"; longer ones are clauses more than things ("a bill issued in the last month")."""
    words = thing.split()
    return len(words) - (bool(words) and words[0].casefold() in ("a", "an", "the"))


_QUANTIFIERS = ("모든", "전체", "all ", "any ", "every ")
_KO_ONLY = re.compile(r"[가-힣]{2,}만$")


def _whole_thing(text: str) -> bool:
    """A thing named on its own, fit to stand in a two-thing option: not a number leaning on
    another half's name ("50기가"), not a quantified class ("모든 와이브로 요금제"), no list."""
    text = text.strip()
    return bool(text) and not text[:1].isdigit() and "," not in text \
        and not text.casefold().startswith(_QUANTIFIERS)


def _pieces(value: str) -> list[str]:
    """A list value's items, also for a list of two (``114, 매장``)."""
    separator = r"\s*[,;]\s*" if re.search(r"[,;]", value) else r"\s*[·、]\s*"
    return [p for p in re.split(separator, value.strip()) if p]


def true_elsewhere(fact: Fact, context: GenerationContext, lang: str) -> set[str]:
    """Normalised current values of same-label facts in other bulletins: never wrong options.

    The fact's own ``was:`` and ``not:`` values are exempt: the author declared them wrong
    now (a superseded bulletin may still state the old value).
    """
    def forms(values: list[str]) -> set[str]:
        return {normalise(text) for value in values
                for text in (value, display_value(fact, value, lang))}

    # Many bulletins may state the same value: each distinct one is formatted once.
    stated = list(dict.fromkeys(other.value for other in context.index.same_label(fact.label)))
    return forms(stated) - forms([fact.old_value or "", *fact.not_values])


def wrong_options(doc: BulletinDoc, fact: Fact, context: GenerationContext, *, key: str,
                  value: str | None = None, sources: Sequence[str] = DEFAULT_ORDER,
                  extra: Iterable[tuple[str, str]] = (), limit: int = MAX_WRONG,
                  exclude: Iterable[str] = (), judged: bool = False) -> list[OptionDraft]:
    """Pick up to ``limit`` wrong options for the correct option text ``key``.

    Sources are tried in order, then ``extra`` (``(text, source)`` pairs). A candidate is
    skipped when it equals the key or an option already chosen (normalised), is true in
    another bulletin for the same label, is not of the key's kind (unit, format: see
    values.same_kind), or would make the option lengths incomparable. The old value is never
    skipped for its length: an agent who missed the change gives it (a warning tells the
    trainer instead, see :func:`~.advice.fact_warnings`).
    """
    value = fact.value if value is None else value
    banned = {bare(text) for text in true_elsewhere(fact, context, doc.lang)}
    banned |= {bare(key), bare(value), bare(fact.value)}
    banned |= {bare(text) for text in exclude}
    # Lazy: with many bulletins in force the sources offer hundreds of candidates, and the
    # first few acceptable ones are all that is taken.
    candidates = ((display_value(fact, raw, doc.lang), name) for name in sources
                  for raw in DISTRACTOR_SOURCES[name](doc, fact, context, value))
    chosen: list[OptionDraft] = []
    for text, source in chain(candidates, extra):
        if len(chosen) >= limit:
            break
        if not text.strip() or bare(text) in banned:
            continue
        if source != "old" and not (judged and source in AUTHORED) and not same_kind(
                key, text, fact.type, strict=source not in AUTHORED):
            continue  # ``judged``: a true/false statement shows no options to compare
        if part_of(key, text):
            continue  # "앱, 114" beside "앱, 웹, 114": still true, not a wrong answer
        if below_limit(fact, doc.lang, text):
            continue  # "1 month" when an agent can grant 3: also true
        if source != "old" and (holds_key(key, text) or repeats_element(text)
                                 or restricted_inside(text)):
            continue  # names every key element (also correct) or one element twice
        reference = key if not _free(key) or not fact.old_value else fact.old_value
        if source not in AUTHORED and not _near_amount(reference, text):
            continue  # "0원" or ₩5,500 beside ₩61,000: no one would confuse them
        measured = [key, *(option.text for option in chosen if option.source != "old")]
        if source == "old" or lengths_comparable([*measured, text]):
            chosen.append(OptionDraft(text=text, source=source))
            banned.add(bare(text))
    return chosen
