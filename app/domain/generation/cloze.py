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
from app.domain.generation.authored import authored, fits_slot
from app.domain.generation.bounds import on_false_side, wrong_side
from app.domain.generation.claims import BASE_VERBS
from app.domain.generation.cloze_guard import (
    balanced,
    contradicts,
    count_cue,
    has_referent,
    heading_lead,
    needs_date,
)
from app.domain.generation.context import GenerationContext
from app.domain.generation.distractors import near_values, part_of, true_elsewhere
from app.domain.generation.korean import BLANK, particle_for
from app.domain.generation.ladders import format_date
from app.domain.generation.normalise import (
    contains_text,
    normalise,
    same_text,
    sentence_with_mark,
    significant_words,
    unmark,
)
from app.domain.generation.option_sets import holds_key, repeats_element, restricted_inside
from app.domain.generation.phrasing import display_value, is_korean, is_yes_no
from app.domain.generation.splice import same_shape
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
    """(stem, correct term, candidate wrong options, best first) of the fact's cloze item.

    A fact with the author's statement (``say``) is blanked in that sentence, which names the
    service and when the rule applies; a sentence of the body, cut out of its paragraph, often
    names neither ("the field team checks the zone within _____"), so it is not used then."""
    if fact.say and not is_yes_no(fact):
        stem = authored(doc, fact, BLANK)
        whole = display_value(fact, fact.value, doc.lang)
        parts = _parts(doc, fact, context, stem, whole, authored_stem=True) if stem else None
        return _dated(doc, fact, parts) if parts else None
    term = cloze_term(doc, fact)
    sentence = sentence_with_mark(doc.body, term) if term else None
    if term is None or sentence is None or _a_clause(term, doc.lang):
        return None
    full = _without_old_asides(unmark(sentence.replace(f"=={term}==", BLANK, 1)), fact)
    full = _LEAD_IN.sub("", full)  # "Unchanged: a session ..." -> "A session ..."
    full = full[:1].upper() + full[1:]
    for stem in dict.fromkeys((trimmed(full), full, _at_comma(full))):
        parts = _parts(doc, fact, context, stem, term)
        if parts is not None:
            return _dated(doc, fact, parts)
    return None


def _dated(doc: BulletinDoc, fact: Fact, parts: tuple[str, str, list[OptionDraft]],
           ) -> tuple[str, str, list[OptionDraft]] | None:
    """A changed fact's cloze whose old value is an option says from when the key holds: the
    effective date is put before a sentence that names none ("From 3 May 2027, the fee is
    _____"); a sentence opening on the blank (no subject) or already timed (부터) gets no
    cloze."""
    stem, term, wrongs = parts
    offered = any(w.source == "old" for w in wrongs)
    if not fact.old_value or not offered or not needs_date(stem):
        return parts
    if stem.startswith(BLANK) or "부터" in stem:
        return None
    day = format_date(doc.effective, doc.lang)
    if is_korean(doc.lang):
        return f"{day}부터 {stem}", term, wrongs
    first = stem.split()[0]
    lowered = stem if first.isupper() or any(c.isupper() for c in first[1:]) \
        else stem[:1].lower() + stem[1:]
    return f"From {day}, {lowered}", term, wrongs


_LEAD_IN = re.compile(r"^(?:[A-Z][a-z]+|[가-힣]+)(?: [A-Za-z가-힣]+)?:\s+(?=\S)")
_ASIDE = re.compile(r"\(([^()]*)\)")
_NUMBER = re.compile(r"^(\d+)\b")


def counted_aside(stem: str, term: str) -> bool:
    """A bracketed list in the sentence that counts the key out ("_____ on one ID (a phone, a
    netbook and a tablet, for example)" for "3 devices"): the cloze gives its answer away."""
    number = _NUMBER.match(term.strip())
    if number is None:
        return False
    for aside in _ASIDE.findall(stem):
        listed = [p for p in re.split(r",\s*|\s+(?:and|or)\s+|·|、|와 |과 ", aside) if p.strip()]
        listed = [p for p in listed if not re.fullmatch(r"\s*(for example|e\.g\.|etc\.?|등)\s*", p)]
        if len(listed) == int(number.group(1)):
            return True
    return False


def _parts(doc: BulletinDoc, fact: Fact, context: GenerationContext, stem: str, term: str,
           *, authored_stem: bool = False) -> tuple[str, str, list[OptionDraft]] | None:
    """The cloze parts for one wording of the sentence, or ``None`` when it gives the answer
    away or cannot offer the old value. The author's statement (``authored_stem``) names
    what it is about itself: it need not share the label's words."""
    if "==" in stem or "|" in stem or counted_aside(stem, term) \
            or contains_text(stem, term) or _other_keys(doc, fact, stem) \
            or not _a_sentence(stem) or not balanced(stem) or heading_lead(stem) \
            or not (authored_stem or has_referent(stem, fact.ask or fact.label)):
        return None
    whole = display_value(fact, fact.value, doc.lang)
    raw = [(fact.old_value, "old"), *((v, "not") for v in fact.not_values),
           *((v, "perturbed") for v in near_values(doc, fact, fact.value))]
    banned = {normalise(term), normalise(whole)} | true_elsewhere(fact, context, doc.lang)
    wrongs: list[OptionDraft] = []
    for value, source in raw:
        part = _cut(whole, term, display_value(fact, value, doc.lang)) if value else None
        part = after_determiner(stem, part) if part else None
        if part is None or normalise(part) in banned:
            continue
        if source != "old" and not same_kind(term, part, fact.type):
            continue  # the old value is what an agent who missed the change says: kept
        if _states(doc.body, stem, part) or contains_text(stem, part):
            continue  # a true sentence, or an option the sentence itself prints
        if not fits_particle(stem, term, part) or (is_korean(doc.lang)
                                                     and not fits_slot(term, part)):
            continue  # "_____ 동안" beside "구매한 날 자정까지": its own particle does not fit
        wrongs.append(OptionDraft(text=part, source=source))
        banned.add(normalise(part))
        if len(wrongs) == POOL:
            break
    side = wrong_side(stem.replace(BLANK, term), term, doc.lang)  # "_____ 이상": below only
    if any(w.source in ("old", "not") and not on_false_side(term, w.text, side) for w in wrongs):
        return None  # the author's near miss is on the true side: the options left would all
        # lie on one side of the key (an editor marks the key at the end of the range)
    wrongs = [w for w in wrongs if not ruled_out(stem, w.text) and not contradicts(stem, w.text)
              and not repeats_element(w.text) and not holds_key(term, w.text)
              and not restricted_inside(w.text)]
    texts = [w.text for w in wrongs]
    if give_away(stem, term, texts) or _number_told(stem, term, texts) \
            or count_cue(stem, term, texts):
        return None
    if any(w.source == "old" and not same_shape(term, w.text) for w in wrongs):
        return None  # "The new router is sent _____." + "an engineer visit": it does not fit
    old = display_value(fact, fact.old_value, doc.lang) if fact.old_value else None
    if old and not any(w.source == "old" for w in wrongs) and not part_of(whole, old) \
            and not contains_text(stem, old) and on_false_side(term, old, side):
        return None  # the answer of an agent who missed the change must be offered
    return stem, term, wrongs


_CLAUSE_BREAK = re.compile(r"(;\s|:\s|\s[—–]\s|,?\s(?:and|but|so|while|because|instead of"
                           r"|rather than)\s|,\s(?=(?:which|who|where|as|so|not|but|including"
                           r"|even|unless|except|although|though|before|after|until|when|if"
                           r"|once)\b))")
_ANY_COMMA = re.compile(r",\s(?=[a-z])")
# a Korean clause ending after the blank and the sentence ending it becomes
_KO_CLAUSE_BREAK = re.compile(r"(?P<stem>[가-힣]*?)(?P<end>하지만|하고|하며|되지만|되고|되며"
                              r"|이며|이고|이지만|입니다만)[,]?\s")
_KO_CLOSE = {"하": "합니다.", "되": "됩니다.", "이": "입니다.", "입": "입니다."}


def trimmed(stem: str) -> str:
    """The sentence cut after the clause that holds the blank ("... is called _____ and
    customers can join it up to the age of 24." -> "... is called _____."): the rest of a
    sentence often rules options out or prints the answer again."""
    start = stem.find(BLANK) + len(BLANK)
    korean = re.search(r"[가-힣]", stem) is not None
    found = (_KO_CLAUSE_BREAK if korean else _CLAUSE_BREAK).search(stem, start)
    if found is None or re.search(r"\b(between|both|from)\s+$", stem[:start - len(BLANK)]):
        return stem  # "between _____ and 9 p.m.": the "and" belongs to the blank's phrase
    if korean:  # "_____이고 24시간 운영합니다." -> "_____입니다."; "...하지만 ..." -> "...합니다."
        return stem[:found.start("end")] + _KO_CLOSE[found["end"][0]]
    cut = stem[:found.start()].rstrip(" ,;:")
    return cut if cut.endswith(".") else cut + "."  # "... 11 p.m." keeps its one full stop


def _at_comma(stem: str) -> str:
    """The last resort: the English sentence cut at the first comma after the blank ("The
    support line is now _____, open 9 a.m. to 9 p.m." -> "... is now _____."), unless the
    blank stands between commas itself."""
    start = stem.find(BLANK)
    found = _ANY_COMMA.search(stem, start + len(BLANK))
    if found is None or stem[:start].rstrip().endswith(",") or re.search(r"[가-힣]", stem):
        return stem
    cut = stem[:found.start()].rstrip()
    return cut if cut.endswith(".") else cut + "."


_DETERMINER_BEFORE = re.compile(r"\b(their|the|a|an|your|his|her|its|our|my)\s+$", re.IGNORECASE)


def after_determiner(stem: str, option: str) -> str | None:
    """An option fitted after a determiner before the blank ("show their _____"): its own
    leading article dropped ("a student card only" -> "student card only")."""
    before = stem.split(BLANK, 1)[0]
    if not _DETERMINER_BEFORE.search(before):
        return option
    return re.sub(r"^(the|a|an)\s+", "", option, flags=re.IGNORECASE) or None


def ruled_out(stem: str, wrong: str) -> bool:
    """Tell whether the rest of the sentence speaks of a wrong option ("the _____ owns every
    dispute; the agent who takes the call no longer follows it up" beside "agent who took the
    call"): more than two thirds of its 3+ words are printed, so the sentence rules it out."""
    outside = significant_words(stem.replace(BLANK, " "))
    mine = significant_words(wrong)
    return len(mine) >= 3 and len(mine & outside) * 3 > len(mine) * 2


def _number_told(stem: str, key: str, wrongs: list[str]) -> bool:
    """A number of the key printed elsewhere in the sentence that some wrong option lacks
    ("called _____ and customers can join up to the age of 24" beside "Youth 24")."""
    outside = stem.replace(BLANK, " ")
    return any(re.search(rf"(?<![\d,.]){number}(?![\d,])", outside)
               and not all(number in w for w in wrongs)
               for number in re.findall(r"\d+", key))


def _a_clause(term: str, lang: str) -> bool:
    """A marked action of 4+ words ("send the text ROAM ON to 1588-0010"): the sentence
    around it ("themselves", "before they leave") rules the other actions out."""
    words = term.split()
    return not lang.lower().startswith("ko") and len(words) >= 4 and (
        words[0].casefold() in BASE_VERBS)


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
