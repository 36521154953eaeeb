"""Lint checks for the defects of the third blind rating (see lint.py): a list option spliced
from two values ("menu 9, menu 0", "매월 5일, 10일, ..., 매월 10일": ``spliced_list``), a Korean
"must" negated as "-야 하지 않습니다" (``must_negation``), an English statement negated inside
its subject ("Outages are not caused by ... earn a credit": ``misplaced_negation``) and a
"<label>: <value>." true/false statement beside a choice item that asks the fact plainly
(``telegraphic_statement``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.bulletin.types import Fact, ItemDraft
from app.domain.generation.claims import late_verb
from app.domain.generation.labels import is_participle, words

_MUST_NOT = re.compile(r"야 하지 않")


def _leading_words(text: str) -> list[str]:
    """The first word of each comma-separated element of a list option."""
    parts = [p.strip() for p in re.split(r"\s*[,;]\s*", text) if p.strip()]
    return [p.split()[0].casefold() for p in parts if len(p.split()) > 1] if len(parts) > 1 \
        else []


def spliced_list(item: ItemDraft) -> bool:
    """A wrong option in which two list elements start with the same word while the key's do
    not: another value's element appended to or spliced into the key's list."""
    if item.kind == "true_false":
        return False
    keys = [o.text for o in item.options if o.correct]
    keyed = {w for k in keys for w in _leading_words(k)
             if _leading_words(k).count(w) > 1}
    for option in item.options:
        if option.correct:
            continue
        leads = [w for w in _leading_words(option.text) if not w[:1].isdigit()]
        if any(leads.count(w) > 1 and w not in keyed for w in leads):
            return True
    return False


def must_negation(item: ItemDraft) -> bool:
    """"위약금을 내야 하지 않습니다": the need-not is "내지 않아도 됩니다"."""
    return any(_MUST_NOT.search(text) for text in (item.stem, item.explanation))


def misplaced_negation(item: ItemDraft) -> bool:
    """"X are (not) caused by Y earn a credit": "is/are" put before a participle that belongs
    to the subject, while the sentence's own verb comes later."""
    return any(_negated_subject(words(part)) for part in re.split(r"[,;:]", item.stem))


def _negated_subject(tokens: list[str]) -> bool:
    for index, word in enumerate(tokens[:-2]):
        at = index + 2 if tokens[index + 1] == "not" else index + 1
        if word in ("is", "are") and at < len(tokens) \
                and is_participle(tokens[at], predicates=False) \
                and late_verb(tokens, at) is not None:
            return True
    return False


def telegraphic(item: ItemDraft, fact: Fact | None, items: Sequence[ItemDraft]) -> bool:
    """A true/false statement in the "<label>: <value>." frame on a fact that is not critical
    and has a choice item asking it plainly."""
    if item.kind != "true_false" or fact is None or fact.critical:
        return False
    label = fact.label.strip().rstrip("?.:")
    stem = re.sub(r"^\d{4}년 \d{1,2}월 \d{1,2}일부터 ", "", item.stem)
    framed = stem.casefold().startswith(label.casefold()) and ": " in stem[len(label):][:40]
    return framed and any(other.fact == item.fact and other.kind == "choice"
                          for other in items)
