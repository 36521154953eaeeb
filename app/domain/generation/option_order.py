"""Options in their natural order: amounts of one unit from the smallest up ("1 attempt", "2
attempts", "3 attempts"; "once", "twice", "3 times"), dates from the earliest. The item-writing
rules (Haladyna, Downing & Rodriguez 2002) ask for numerical order. Only when the key has wrong
options on both sides: a key always first or last (the made-up values of a window lie on one
side of it) would be a cue of its own, so such options are shuffled, at generation and again
in each attempt.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.generation.english import as_times
from app.domain.generation.ladders import parse_date
from app.domain.generation.values import amount, same_unit


def natural_order(texts: Sequence[str], key: int) -> list[int] | None:
    """The indices of ``texts`` in natural order, or ``None`` when they have none (not all
    amounts of one unit, nor all dates) or the key (``texts[key]``) would stand first or
    last in it."""
    found = [amount(as_times(text)) for text in texts]
    order = None
    if found and all(found) and all(
            f[0].strip().casefold() == found[0][0].strip().casefold()
            and same_unit(f[3], found[0][3]) for f in found):
        order = sorted(range(len(texts)), key=lambda i: found[i][1])
    elif (days := [parse_date(text) for text in texts]) and all(days):
        order = sorted(range(len(texts)), key=lambda i: days[i])
    if order is None or key in (order[0], order[-1]):
        return None
    return order


def options_in_natural_order(options) -> bool:
    """:func:`in_natural_order` of stored options (each with ``text`` and ``correct``)."""
    return in_natural_order([o.text for o in options], [o.correct for o in options])


def in_natural_order(texts: Sequence[str], correct: Sequence[bool]) -> bool:
    """Whether stored options stand in their natural order already, the key inside it (as
    generated; a trainer's own order is shuffled like any other)."""
    key = next((i for i, right in enumerate(correct) if right), -1)
    return key >= 0 and natural_order(texts, key) == list(range(len(texts)))
