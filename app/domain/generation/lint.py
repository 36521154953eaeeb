"""An automated lint for the mechanical defects an editor rejects generated items for.

:func:`lint_items` flags, per item: fewer than 3 options on an item other than true/false
(``few_options``), options of different units (``mixed_units``), two items of one fact with
the same option set (``duplicate_options``), a label that is not a noun phrase pasted into a
noun slot ("the how customers opt in": ``label_in_noun_slot``), a Korean particle after a verb
ending ("거절하면은": ``particle_after_ending``), the key printed in the stem (``key_in_stem``),
a dated "From ..." stem on a fact that did not change (``change_on_unchanged``), awkward
yes/no framing ("— Yes.", 맞다/틀리다: ``yes_no_framing``), a true/false statement quoting a
question (``quoted_question``), raw ``==``/``**`` markup (``raw_markup``), a cloze sentence cut
short (``cut_sentence``), a wrong option printed in the stem (``option_in_stem``) and amounts
less than 10 % apart (``near_duplicate_options``), an option naming one list element twice
(``repeated_element``), a wrong option naming every element of the key
(``option_holds_key``) and a true/false stem quoting a clause as a statement
("…바뀌는지", "whether …": ``quoted_clause``); and the checks of ``lint_splice.py``
(``spliced_list``, ``must_negation``, ``misplaced_negation``, ``telegraphic_statement``). It
reads items only, so it runs on
generated items, stored quiz files and hand-written items alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from app.domain.bulletin.types import BulletinDoc, Fact, ItemDraft
from app.domain.generation.english import as_times
from app.domain.generation.ladders import format_date
from app.domain.generation.lint_splice import (
    misplaced_negation,
    must_negation,
    spliced_list,
    telegraphic,
)
from app.domain.generation.normalise import bare, contains_text
from app.domain.generation.option_sets import holds_key, repeats_element
from app.domain.generation.values import amount, is_code, unit_family

_NOUN_SLOT = re.compile(
    r"\b(the|a|an|about the|is the)\s+(who|what|when|where|which|how|why|whether|if|a|an|the)\b",
    re.IGNORECASE)
_KO_ENDING_PARTICLE = re.compile(
    r"(?:(?<=[하되있없르주보시지치오가우이았었했])면|는지|한지|나요\?|까\?"
    r"|내고|하고|다고|라고|거나)"
    r"(?:은|는|이|가|을|를|의|에 대해|에 대한)(?=[\s.?!,]|$)")
_YES_NO = re.compile(r"which answer is right for|— (yes|no|예|아니요|아니오)\.?$"
                     r"|에 대한 올바른 답은", re.IGNORECASE)
_DICTIONARY_FORMS = frozenset(("맞다", "틀리다"))


def lint_item(item: ItemDraft, fact: Fact | None, doc: BulletinDoc) -> list[str]:
    """The mechanical defects of one item (see the module docstring), as short codes."""
    found = []
    texts = [option.text for option in item.options]
    if item.kind != "true_false" and len(texts) < 3:
        found.append("few_options")
    families = {f for f in map(_family, texts) if f is not None}
    if item.kind != "true_false" and len(families) > 1 and families != {"none"}:
        found.append("mixed_units")
    for text in (item.stem, item.explanation):
        if _NOUN_SLOT.search(text) or _KO_ENDING_PARTICLE.search(text):
            found.append("label_in_noun_slot" if _NOUN_SLOT.search(text)
                         else "particle_after_ending")
            break
    if item.kind != "true_false" and _key_in_stem(item):
        found.append("key_in_stem")
    if fact is not None and _dated_without_change(item, fact, doc):
        found.append("change_on_unchanged")
    if _YES_NO.search(item.stem) or _DICTIONARY_FORMS & set(texts):
        found.append("yes_no_framing")
    found += _shape_defects(item, texts)
    found += [code for code, bad in (("spliced_list", spliced_list(item)),
                                     ("must_negation", must_negation(item)),
                                     ("misplaced_negation", misplaced_negation(item))) if bad]
    return found


def _family(text: str) -> str | None:
    """An option's unit family for ``mixed_units`` ("5%" has its unit), "none" for a phrase
    without a number ("by post"), ``None`` (not compared) for a phrase holding a number ("once
    every 6 months" beside "once a month", "하루 100건까지만 발송을 허용")."""
    counted = as_times(text)  # "once" beside "3 times" is one unit
    if is_code(counted):
        return None  # "*1114#" beside "#1114": codes, compared by their shape elsewhere
    if found := amount(counted):
        unit = re.sub(r"(?<=[a-z])(?<!s)s$", "", found[3].strip().casefold())  # "numbers"
        return unit_family(counted) or (f"unit:{unit}" if len(unit.split()) <= 1 else None)
    return None if re.search(r"\d", counted) else "none"


_QUOTED = re.compile(r"the answer to “|which of these|에 대한 답은 ‘|올바른 답은 ‘", re.IGNORECASE)
_MARKUP = re.compile(r"==|\*\*|`")
_CLOZE_END = re.compile(r"([.!?]|[다요][.!?]?)[\s\"'”’)]*$")


def _shape_defects(item: ItemDraft, texts: list[str]) -> list[str]:
    """Defects of the fresh-bulletin rating: a true/false statement that quotes a question,
    raw markup, a cloze sentence cut short, a wrong option the stem prints, near-duplicate
    amounts."""
    found = []
    if item.kind == "true_false" and _QUOTED.search(item.stem):
        found.append("quoted_question")
    if any(_MARKUP.search(text) for text in (item.stem, item.explanation, *texts)):
        found.append("raw_markup")
    stem = item.stem.strip()
    if item.kind == "cloze" and (not _CLOZE_END.search(stem) or re.search(r"[^.]\.\.$", stem)):
        found.append("cut_sentence")
    wrongs = [o.text for o in item.options if not o.correct]
    if item.kind != "true_false" and any(contains_text(item.stem, w) for w in wrongs):
        found.append("option_in_stem")
    if item.kind != "true_false" and _near_duplicates(item):
        found.append("near_duplicate_options")
    return found + _set_defects(item, texts)


_QUOTED_CLAUSE = re.compile(r"[“‘\"]([^”’\"]*?(?:는지|은지|인지|한지|할지|여부)|(?:whether|if|how|"
                            r"what|when|where|who|which)\b[^”’\"?]*)[”’\"]", re.IGNORECASE)


def _set_defects(item: ItemDraft, texts: list[str]) -> list[str]:
    """Defects of options read as sets of list elements, and a true/false stem that quotes a
    clause ("…바뀌는지", "whether …") as if it were a statement."""
    found = []
    keys = [o.text for o in item.options if o.correct]
    wrongs = [o.text for o in item.options if not o.correct]
    if item.kind != "true_false" and any(repeats_element(text) for text in texts):
        found.append("repeated_element")
    if item.kind != "true_false" and any(holds_key(k, w) for k in keys for w in wrongs):
        found.append("option_holds_key")
    if item.kind == "true_false" and _QUOTED_CLAUSE.search(item.stem):
        found.append("quoted_clause")
    return found


def _near_duplicates(item: ItemDraft) -> bool:
    """Two amounts of one unit less than 5 % apart (24 and 25 hours, 256 and 250 kbps, ages
    64 and 65): one reads as a typo of the other. Small counts (up to 10) and codes are
    exempt."""
    amounts = [(found[1], found[0] + "|" + found[3].strip(),
                option.correct or option.source in ("old", "not")) for option in item.options
               if not is_code(option.text) and (found := amount(option.text)) is not None]
    for index, (number, unit, authored) in enumerate(amounts):
        for other, other_unit, other_authored in amounts[index + 1:]:
            if unit == other_unit and number != other and max(number, other) > 10 \
                    and abs(number - other) < max(number, other) * NEAR \
                    and not (authored and other_authored):  # the author's own values
                return True
    return False


NEAR = Decimal("0.05")  # the generator keeps 10 % from the key; authors' values may be closer


def _key_in_stem(item: ItemDraft) -> bool:
    wrongs = [option.text for option in item.options if not option.correct]
    for option in item.options:
        if not option.correct:
            continue
        if contains_text(item.stem, option.text):
            return True
        groups = re.findall(r"\d{3,}", option.text) if is_code(option.text) else []
        if any(group in item.stem and not all(group in w for w in wrongs) for group in groups):
            return True
    return False


def _dated_without_change(item: ItemDraft, fact: Fact, doc: BulletinDoc) -> bool:
    if fact.old_value or fact.type == "date" or item.kind == "cloze":
        return False  # a cloze stem is the bulletin's own sentence
    day = format_date(doc.effective, doc.lang)
    dated = (f"From {day}", f"{day}부터", f"Since {day}")
    # the author's own question or statement (ask=, say=) may date a new rule itself
    return item.stem.startswith(dated) and not any(
        text.startswith(dated) for text in (fact.ask, fact.say) if text)


def lint_items(doc: BulletinDoc, items: Sequence[ItemDraft]) -> dict[str, list[str]]:
    """Every item's defects by item key (an empty list when it has none)."""
    facts = {fact.key: fact for fact in doc.facts}
    found = {item.key: lint_item(item, facts.get(item.fact), doc) for item in items}
    for item in items:
        if telegraphic(item, facts.get(item.fact), items):
            found[item.key].append("telegraphic_statement")
    seen: dict[tuple[str, frozenset[str]], str] = {}
    for item in items:
        if item.kind == "true_false" or item.status == "retired":
            continue
        options = (item.fact, frozenset(bare(option.text) for option in item.options))
        if options in seen:
            found[item.key].append("duplicate_options")
        seen.setdefault(options, item.key)
    return found
