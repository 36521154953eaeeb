"""Start a translation in the guided editor: the original's form, ready to translate.

:func:`translation_form` makes, from an original's form, the form of its translation into
the other language: a new id, ``translation_of`` set, and everything that decides who must
pass what by when carried over unchanged (dates, gate, call types, teams, pass mark,
recertification, the facts' ids, types, critical marks and typed values), so that the pre-fill
agrees with the original (``app/domain/translations.py``). The words stay the original's until
the trainer translates them: :func:`untranslated` names the fields and fact parts whose text
is still the original's, which the editor marks "to translate".
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace

from app.domain.bulletin.form import BulletinForm, FactRow

LANGUAGES = ("en", "ko")
_ROW_TEXT = ("label", "ask", "say")
_TEXT_VALUES = ("value", "was", "nots")  # translated only for text facts; typed ones agree


def other_language(lang: str) -> str:
    """The language a translation of a bulletin in ``lang`` is written in (en <-> ko)."""
    primary = lang.replace("_", "-").split("-")[0].casefold()
    return "en" if primary == "ko" else "ko"


def translation_id(slug: str, lang: str, taken: Collection[str]) -> str:
    """A new id for the ``lang`` translation of ``slug``: ``slug-ko``, ``slug-ko-2``, ...;
    an original already ending in another language's suffix loses it (``x-en`` -> ``x-ko``).
    Never ``slug`` itself nor one in ``taken``; at most 80 characters."""
    base = slug
    for other in LANGUAGES:
        if base.endswith(f"-{other}") and len(base) > len(other) + 1:
            base = base[:-len(other) - 1]
            break
    number = 1
    while True:
        suffix = f"-{lang}" + (f"-{number}" if number > 1 else "")
        candidate = base[:80 - len(suffix)] + suffix
        if candidate not in taken and candidate != slug:
            return candidate
        number += 1


def translation_form(original: BulletinForm, taken: Collection[str]) -> BulletinForm:
    """The form of a new translation of ``original`` (a published original's form).

    Same front matter and facts as the original except the id (new), the language (the
    other one), ``translation_of`` (the original's id) and ``supersedes`` (left empty: the
    original's requirements are the change's). Texts are the original's, to be translated.
    """
    lang = other_language(original.lang)
    return replace(original, slug=translation_id(original.slug, lang, taken), lang=lang,
                   translation_of=original.slug, supersedes=[],
                   skills=list(original.skills), teams=list(original.teams),
                   facts=[replace(row) for row in original.facts],
                   critical_order=list(original.critical_order))


@dataclass
class ToTranslate:
    """What is still the original's text: form fields, and per fact row the parts."""

    fields: set[str] = field(default_factory=set)
    rows: dict[int, set[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.fields or self.rows)


def _row_parts(row: FactRow, source: FactRow) -> set[str]:
    parts = _ROW_TEXT + (_TEXT_VALUES if row.type == "text" else ())
    return {part for part in parts
            if getattr(row, part).strip() and getattr(row, part).strip()
            == getattr(source, part).strip()}


def untranslated(form: BulletinForm, original: BulletinForm) -> ToTranslate:
    """The title, text and fact texts of ``form`` still word for word the ``original``'s
    (fact rows paired by id); typed values are meant to stay and are never listed."""
    todo = ToTranslate()
    for name in ("title", "body"):
        mine = getattr(form, name).strip()
        if mine and mine == getattr(original, name).strip():
            todo.fields.add(name)
    theirs = {row.key: row for row in original.facts if row.key}
    for index, row in enumerate(form.facts):
        parts = _row_parts(row, theirs[row.key]) if row.key in theirs else set()
        if parts:
            todo.rows[index] = parts
    return todo
