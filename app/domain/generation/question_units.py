"""A question word that names a unit ("몇 시간 안에", "within how many hours") fits only options
in that unit. The old value is never dropped, so when it is in another unit (14일 under "몇 시간
안에", "14 days" under "within how many hours") the question asks without a unit: "얼마 안에",
"how soon", "how long".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.generation.values import amount, same_unit

_KO = re.compile(r"(?:몇\s?(?P<unit>영업일|시간|개월|달|주|년|분|초|일)|며칠)"
                 r"(?P<particle>이|가|을|를|은|는|의|도)?")
_EN = re.compile(r"(?P<lead>\b(?:within|in)\s+)?\bhow many (?P<unit>(?:working |business "
                 r"|calendar )?(?:minutes|hours|days|weeks|months|years))\b"
                 r"(?!\s+(?:of|a|an|per|each|every|in|on|at)\b)", re.IGNORECASE)


def _unit(text: str) -> str | None:
    found = amount(text)
    return found[3].strip() if found and found[3].strip() else None


def fitted_question(stem: str, options: Sequence[str], korean: bool) -> str:
    """``stem`` with its unit question word made unit-free when an option is in another unit;
    unchanged when every option is in the question's unit, when an option is no amount, and
    where the unit-free word would not read ("몇 시간의 …", "how many hours of calls")."""
    units = [_unit(option) for option in options]
    if None in units:
        return stem
    found = (_KO if korean else _EN).search(stem)
    if found is None:
        return stem
    asked = found["unit"] or "일"
    if all(same_unit(unit, asked) for unit in units):
        return stem
    if korean:
        particle = found["particle"]
        if particle in ("은", "는", "의", "도"):
            return stem  # "몇 시간의 통화": no unit-free word reads there
        word = "얼마나" if particle else "얼마"  # "몇 개월이 걸립니까" -> "얼마나 걸립니까"
        return stem[:found.start()] + word + stem[found.end():]
    word = "how soon" if found["lead"] else "how long"
    start = found.start()
    return stem[:start] + (word.capitalize() if start == 0 else word) + stem[found.end():]
