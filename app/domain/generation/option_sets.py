"""Options compared as sets of list elements.

A wrong option that names every element of the key ("device, box, device and receipt" beside
"device, box, receipt") is also correct: never offered, and flagged by the lint. An option that
names one element twice ("100번만, 홈페이지, 100번") reads as garbled: never offered either.
"""

from __future__ import annotations

import re

from app.domain.generation.normalise import bare

_SPLIT = re.compile(r"\s*(?:,(?!\d)|(?<!\d),|[;·、])\s*")  # not "₩5,000"
_ONLY = re.compile(r"(\s+only|만)$")


def elements(text: str) -> list[str]:
    """A list value's elements, normalised ("앱, 홈페이지, 100번" -> three); arrow sequences
    and single values are one element."""
    if "→" in text or "->" in text:
        return [bare(text)]
    parts = [bare(p) for p in _SPLIT.split(text.strip()) if p.strip()]
    return parts or [bare(text)]


def repeats_element(text: str) -> bool:
    """Tell whether an option names one element twice (also "100번만" beside "100번")."""
    found = [_ONLY.sub("", e).strip() for e in elements(text)]
    return len(found) != len(set(found))


def restricted_inside(text: str) -> bool:
    """A list with a restricted element ("앱, 대리점만, 100번", "app, store only, web"): a
    splice of an "only" value into a list, garbled."""
    found = elements(text)
    return len(found) > 1 and any(_ONLY.search(e) for e in found)


def holds_key(key: str, option: str) -> bool:
    """Tell whether a wrong option names every element of a list key (2 or more elements):
    a superset of the key, or the key with another element spliced in, is also correct. The
    same elements in another order are not flagged (a wrong order of steps)."""
    mine = elements(key)
    if len(mine) < 2:
        return False
    if sorted(elements(option)) == sorted(mine):
        return False  # the same steps in another order: wrong when the order matters
    theirs = bare(option)
    return all(_contains(theirs, element) for element in mine)


def _contains(text: str, element: str) -> bool:
    """``element`` occurs in ``text`` as a whole word or words."""
    return re.search(rf"(?<![\w]){re.escape(element)}(?![\w])", text) is not None \
        or element in text and not element.isascii()


_JOINED = re.compile(r"\s(or|and)\s|또는|이나\s|나\s|와\s|과\s")


def inclusive(text: str) -> bool:
    """An option naming several things ("by phone, on the web or in a store", "앱 또는
    홈페이지"), not a restriction ("in a store only", "100번만")."""
    if _ONLY.search(text.strip()):
        return False
    return len(elements(text)) > 1 or bool(_JOINED.search(text))


def inclusive_first(key: str, wrongs: list) -> list:
    """The wrong options reordered so that, beside an inclusive key, inclusive ones come
    right after the old value: the key is then not the only option naming several things
    (a cue an editor marks). Stable otherwise."""
    if not inclusive(key):
        return wrongs
    return sorted(wrongs, key=lambda w: (w.source != "old", not inclusive(w.text)))


KEY_LENGTH_CUE = 1.8  # a key this many times longer than a wrong option stands out


def length_first(key: str, wrongs: list) -> list:
    """The wrong options reordered so that ones of comparable length come first (the old
    value stays first): a key about twice as long as every distractor is a cue an editor
    marks, so a ``not:`` value of the key's length is preferred to a short one. Stable."""
    size = len(" ".join(key.split()))
    return sorted(wrongs, key=lambda w: (w.source != "old",
                                         size > KEY_LENGTH_CUE * len(" ".join(w.text.split()))))


_QUALIFIER = re.compile(r"\(|;|,(?!\d)")


def qualified(text: str) -> bool:
    """An option with a qualifier: a bracket, a semicolon or a comma (not in "₩5,000")."""
    return bool(_QUALIFIER.search(text))


def qualified_first(key: str, wrongs: list) -> list:
    """Beside a key with a qualifier ("menu 4-2 (Foreign customer ID)"), the wrong options
    that have one too come right after the old value, so the key is not the only qualified
    option (a cue an editor marks). Stable otherwise."""
    if not qualified(key):
        return wrongs
    return sorted(wrongs, key=lambda w: (w.source != "old", not qualified(w.text)))
