"""An automated lint for the mechanical defects an editor rejects generated items for.

:func:`lint_items` flags, per item: fewer than 3 options on an item other than true/false
(``few_options``), options of different units (``mixed_units``), two items of one fact with
the same option set (``duplicate_options``), a label that is not a noun phrase pasted into a
noun slot ("the how customers opt in": ``label_in_noun_slot``), a Korean particle after a verb
ending ("거절하면은": ``particle_after_ending``), the key printed in the stem (``key_in_stem``),
a dated "From ..." stem on a fact that did not change (``change_on_unchanged``) and awkward
yes/no framing ("— Yes.", 맞다/틀리다: ``yes_no_framing``). It reads items only, so it runs on
generated items, stored quiz files and hand-written items alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.bulletin.types import BulletinDoc, Fact, ItemDraft
from app.domain.generation.ladders import format_date
from app.domain.generation.normalise import contains_text, normalise
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
    families = {unit_family(text) if amount(text) else "none" for text in texts}
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
    return found


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
    return item.stem.startswith((f"From {day}", f"{day}부터", f"Since {day}"))


def lint_items(doc: BulletinDoc, items: Sequence[ItemDraft]) -> dict[str, list[str]]:
    """Every item's defects by item key (an empty list when it has none)."""
    facts = {fact.key: fact for fact in doc.facts}
    found = {item.key: lint_item(item, facts.get(item.fact), doc) for item in items}
    seen: dict[tuple[str, frozenset[str]], str] = {}
    for item in items:
        if item.kind == "true_false" or item.status == "retired":
            continue
        options = (item.fact, frozenset(normalise(option.text) for option in item.options))
        if options in seen:
            found[item.key].append("duplicate_options")
        seen.setdefault(options, item.key)
    return found
