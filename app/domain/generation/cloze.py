"""The cloze item's parts: which marked term a fact owns, its sentence, its wrong options.

A marked term belongs to the fact whose value it is (or, failing that, whose value holds it:
``24세`` in ``만 24세``). Its wrong options come from that fact's own value space only -- the
``was:`` and ``not:`` values and the near values, cut to the part the term covers -- so a data
allowance is never offered a price. A wrong option is dropped when it would make a sentence the
body itself states ("... 무료로 전화합니다" said elsewhere), and no cloze is made when the rest
of the sentence gives the answer away (the term printed again, or every digit of a code).
"""

from __future__ import annotations

import re

from app.domain.bulletin.types import BulletinDoc, Fact, OptionDraft
from app.domain.generation.context import GenerationContext
from app.domain.generation.distractors import near_values, true_elsewhere
from app.domain.generation.korean import BLANK, particle_for
from app.domain.generation.normalise import (
    contains_text,
    normalise,
    same_text,
    sentence_with_mark,
    unmark,
)
from app.domain.generation.phrasing import display_value, is_yes_no
from app.domain.generation.values import amount, same_kind
from app.domain.markup import marked_terms

POOL = 6  # wrong options gathered; the recipe offers subsets of them (see recipes.variants)
_NEAR = 6  # how many characters on each side of the blank are checked against the body


def owner(doc: BulletinDoc, term: str) -> Fact | None:
    """The fact a marked term tests: the one whose value it is, else whose value holds it."""
    shown = [(fact, display_value(fact, fact.value, doc.lang)) for fact in doc.facts
             if not is_yes_no(fact)]
    for fact, value in shown:
        if same_text(value, term) or same_text(fact.value, term):
            return fact
    for fact, value in shown:
        if len(normalise(term)) >= 2 and contains_text(value, term):
            return fact
    return None


def cloze_term(doc: BulletinDoc, fact: Fact) -> str | None:
    """The first ``==marked==`` term of the body that ``fact`` owns, if any."""
    for term in marked_terms(doc.body):
        found = owner(doc, term)
        if found is not None and found.key == fact.key:
            return term
    return None


def _cut(whole: str, term: str, candidate: str) -> str | None:
    """The part of ``candidate`` in the place ``term`` has in ``whole`` (same frame)."""
    if same_text(whole, term):
        return candidate
    start = whole.casefold().find(term.casefold())
    if start < 0:
        return None
    before, after = whole[:start], whole[start + len(term):]
    if candidate.startswith(before) and candidate.endswith(after):
        part = candidate[len(before):len(candidate) - len(after)].strip()
        return part or None
    return None


def _states(body: str, stem: str, option: str) -> bool:
    """Tell whether the body already says ``option`` where the blank is (a true sentence)."""
    before, _, after = stem.partition(BLANK)
    plain = " ".join(unmark(body).split())
    tail, head = before[-_NEAR:].lstrip(), after[:_NEAR].rstrip()
    return any(piece.strip() != option and piece in plain
               for piece in (f"{option}{head}", f"{tail}{option}") if len(piece) > len(option))


def cloze_parts(doc: BulletinDoc, fact: Fact, context: GenerationContext,
                ) -> tuple[str, str, list[OptionDraft]] | None:
    """(stem, correct term, candidate wrong options, best first) of the fact's cloze item."""
    term = cloze_term(doc, fact)
    sentence = sentence_with_mark(doc.body, term) if term else None
    if term is None or sentence is None:
        return None
    stem = _without_old_asides(unmark(sentence.replace(f"=={term}==", BLANK, 1)), fact)
    if contains_text(stem, term) or _other_keys(doc, fact, stem) or not _a_sentence(stem):
        return None
    whole = display_value(fact, fact.value, doc.lang)
    raw = [(fact.old_value, "old"), *((v, "not") for v in fact.not_values),
           *((v, "perturbed") for v in near_values(doc, fact, fact.value))]
    banned = {normalise(term), normalise(whole)} | true_elsewhere(fact, context, doc.lang)
    wrongs: list[OptionDraft] = []
    for value, source in raw:
        part = _cut(whole, term, display_value(fact, value, doc.lang)) if value else None
        if part is None or normalise(part) in banned or not same_kind(term, part, fact.type):
            continue
        if _states(doc.body, stem, part) or contains_text(stem, part):
            continue  # a true sentence, or an option the sentence itself prints
        if not fits_particle(stem, term, part):
            continue
        wrongs.append(OptionDraft(text=part, source=source))
        banned.add(normalise(part))
        if len(wrongs) == POOL:
            break
    if give_away(stem, term, [w.text for w in wrongs]):
        return None
    return stem, term, wrongs


_ASIDE = re.compile(r"\s*\(([^()]*)\)")
_OLD_WORDS = re.compile(r"\b(was|were|had|used to|old|previously|before|formerly)\b|이전|기존|종전"
                        r"|예전|지금까지|원래", re.IGNORECASE)


def _without_old_asides(stem: str, fact: Fact) -> str:
    """Drop a parenthesis that tells the old value ("(it had 4)", "(이전: 36개월)")."""
    def keep(match: re.Match) -> str:
        inside = match.group(1)
        told = _OLD_WORDS.search(inside) or (fact.old_value and contains_text(
            inside, fact.old_value))
        return "" if told and BLANK not in inside else match.group(0)

    return _ASIDE.sub(keep, stem)


def _a_sentence(stem: str) -> bool:
    """A whole sentence, not a list item or heading ("환불 계좌 확인 (_____ 계좌만)")."""
    text = stem.strip()
    if len(text) < 15:
        return False
    if re.search(r"[가-힣]", text):
        return bool(re.search(r"(다|요)[.!?]?$", text))
    return text.endswith((".", "!", "?"))


def _other_keys(doc: BulletinDoc, fact: Fact, stem: str) -> bool:
    """Tell whether the sentence prints another fact's answer (a cue across items)."""
    def forms(other: Fact) -> list[str]:
        shown = display_value(other, other.value, doc.lang)
        found = amount(shown)  # "월 22,000원" is printed as "22,000원" too
        return [shown, shown[len(found[0]):]] if found and found[0].strip() else [shown]

    others = [other for other in doc.facts
              if other.key != fact.key and other.type != "date" and not is_yes_no(other)]
    return any(contains_text(stem, form) for other in others
               if len(normalise(other.value)) > 2 for form in forms(other)) or any(
        _counted_in(stem, other.value) or _mostly_in(stem, other.value) for other in others)


def _counted_in(stem: str, value: str) -> bool:
    """"5 attempts" told by "After 5 wrong attempts": the number and its unit close together."""
    found = amount(value)
    if found is None or not found[3].strip():
        return False
    number = re.escape(value.strip()[len(found[0]):].split(found[3].strip())[0].strip())
    unit = re.escape(found[3].strip().split()[0].rstrip("s"))
    return bool(re.search(rf"(?<![\d,.]){number}\s+(\S+\s+)?{unit}", stem))


def _mostly_in(stem: str, value: str) -> bool:
    """A long text answer whose words are nearly all in the sentence (a paraphrase of it)."""
    wanted = [w for w in value.split() if len(w) > 1]
    if len(wanted) < 3:
        return False
    return sum(w in stem for w in wanted) >= 0.75 * len(wanted)


def fits_particle(stem: str, key: str, option: str) -> bool:
    """In Korean, an option takes the same form of the particle after the blank as the key
    (앱으로 / 웹으로, not 114로), so the sentence needs no "(으)로"."""
    match = re.search(re.escape(BLANK) + r"(으로|로|을|를|이|가|은|는|과|와)(?![가-힣])", stem)
    if not match:
        match = re.search(re.escape(BLANK) + r"(으로|로)", stem)
    if not match:
        return True
    particle = match.group(1)
    return particle_for(option, particle) == particle_for(key, particle)


def give_away(stem: str, key: str, wrongs: list[str]) -> bool:
    """Tell whether the stem prints a 3+ digit group of the key that some wrong option lacks
    (a code printed beside the blank tells which option is right)."""
    return any(group in stem and not all(group in w for w in wrongs)
               for group in re.findall(r"\d{3,}", key))
