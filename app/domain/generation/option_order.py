"""Options in their natural order: amounts of one unit from the smallest up ("1 attempt", "2
attempts", "3 attempts"), dates from the earliest. The item-writing rules (Haladyna, Downing &
Rodriguez 2002) ask for numerical order: the key's place then follows its value, not a shuffle
an agent could learn. Other options are shuffled, at generation and again in each attempt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.generation.ladders import parse_date
from app.domain.generation.values import amount


def natural_order(texts: Sequence[str]) -> list[int] | None:
    """The indices of ``texts`` in natural order, or ``None`` when they have none (not all
    amounts of one unit, nor all dates)."""
    found = [amount(text) for text in texts]
    if found and all(found):
        units = {re.sub(r"(?<!s)s$", "", f[3].strip().casefold()) + f[0].strip().casefold()
                 for f in found}
        if len(units) == 1:
            return sorted(range(len(texts)), key=lambda i: found[i][1])
    days = [parse_date(text) for text in texts]
    if days and all(days):
        return sorted(range(len(texts)), key=lambda i: days[i])
    return None


def in_natural_order(texts: Sequence[str]) -> bool:
    """Whether ``texts`` stand in their natural order already (as generated; a trainer's own
    order is shuffled like any other)."""
    return natural_order(texts) == list(range(len(texts))) and len(texts) > 2
