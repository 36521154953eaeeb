"""What kind of value an option is: its amount and unit, its unit family, its written shape.

Options of one item must be of one kind: a data allowance is not offered a price, a phone
number is offered other phone numbers of the same format, a code other codes of the same
length. :func:`same_kind` decides it for a candidate wrong option against the key.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from app.domain.bulletin.types import Fact

AMOUNT = re.compile(
    r"^(?P<pre>\D*?)(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<gap>\s*)(?P<unit>\D*)$")
UNIT_FAMILIES = {
    "time": ("minute", "minutes", "min", "mins", "hour", "hours", "h", "day", "days", "week",
             "weeks", "month", "months", "year", "years", "working day", "working days",
             "business day", "business days", "working hour", "working hours", "business hour",
             "business hours", "second", "seconds", "분", "시간", "일", "주", "개월", "달", "년",
             "영업일", "주일"),
    "data": ("gb", "mb", "tb", "kb", "기가", "메가", "gbps", "mbps", "kbps", "m", "g"),
    "money": ("원", "won", "₩", "$", "usd", "krw", "€", "£"),
    "age": ("세", "살", "years old"),
    "count": ("회", "번", "명", "대", "건", "개", "장", "곳", "회선", "가지", "attempt", "attempts",
              "time", "times", "line", "lines", "device", "devices", "call", "calls", "person",
              "people", "sim", "sims", "document", "documents"),
}
_FAMILY_OF = {unit: family for family, units in UNIT_FAMILIES.items() for unit in units}
_KO_COUNTERS = ("세", "회", "명", "대", "건", "개", "장", "곳", "회선", "가지", "번")
_KO_TIME_WORDS = {"분": "몇 분입니까?", "시간": "몇 시간입니까?", "일": "며칠입니까?",
                  "영업일": "며칠입니까?", "주": "몇 주입니까?", "개월": "몇 개월입니까?",
                  "년": "몇 년입니까?"}
_KO_WHO = ("사람", "담당자", "주체", "담당", "대상자", "소유자", "책임자", "승인자", "신청자",
           "명의자", "보호자", "대리인", "상담사", "직원", "팀장", "신청인", "상속인", "보증인",
           "수령인", "명의인", "계약인", "가입 대상", "대상")
_KO_WHICH = ("부서", "팀")  # "어느 부서입니까?"
_KO_WHERE = ("곳", "장소", "창구", "위치", "채널")
_KO_HOW = ("순서", "절차")
_KO_WHEN = ("때", "시점", "날", "날짜", "기한", "시기", "마감")
_KO_RATE = ("율", "률", "비율", "요율")
_KO_THING = ("서류", "코드", "이름", "명칭", "방법", "것", "서비스", "상품", "요금제", "사이트",
             "조건")
_LIST_SPLIT = re.compile(r"\s*(?:,|·|/|;|\band\b|\bor\b|와|과|및)\s+|\s*[,·]\s*")
_STEP_SPLIT = re.compile(r"\s*(?:→|->|>|⇒)\s*")


@lru_cache(maxsize=4096)
def amount(text: str) -> tuple[str, Decimal, str, str] | None:
    """(prefix, number, gap, unit) of an amount such as ``₩30,000`` or ``만 24세``; or None."""
    match = AMOUNT.match(text.strip())
    unit = match["unit"] if match else ""
    if not match or len(match["pre"].strip()) > 3 or "," in unit or len(unit.split()) > 3:
        return None  # "only by calling 114", "114, 매장, 앱", "65세가 되면 자동 적용": not amounts
    try:
        number = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:
        return None
    return match["pre"], number, match["gap"], match["unit"]


@lru_cache(maxsize=4096)
def unit_words(text: str) -> str:
    """The unit of an amount, casefolded: ``working days`` for ``2 working days``."""
    found = amount(text)
    if found is None:
        return ""
    pre, _, _, unit = found
    unit = re.sub(r"\b(a|per|each|every)\b.*$", "", unit.casefold()).strip()
    return unit or pre.strip().casefold()


@lru_cache(maxsize=4096)
def unit_family(text: str) -> str | None:
    """``time``, ``data``, ``money``, ``age``, ``count``, or None when not known."""
    found = amount(text)
    if found is None:
        return None
    pre, _, _, unit = found
    for part in (unit_words(text), unit.strip().casefold(), pre.strip().casefold()):
        if part in _FAMILY_OF:
            return _FAMILY_OF[part]
        first = part.split(" ")[0] if part else ""
        if first in _FAMILY_OF:
            return _FAMILY_OF[first]
    return None


def written_shape(text: str) -> str:
    """A code's shape: digits as 9, letters as A (``080-300-0112`` -> ``999-999-9999``)."""
    return re.sub(r"[A-Za-z]", "A", re.sub(r"\d", "9", text.strip()))


def is_code(text: str) -> bool:
    """A phone number, promo code or menu code: no blanks inside, digits in it."""
    stripped = text.strip()
    return bool(re.fullmatch(r"[\w#*+\-.]{3,24}", stripped)) and any(c.isdigit() for c in stripped)


def list_items(text: str) -> list[str]:
    """The items of a list value of 3 or more short items (``114, 매장, 앱``), else one item.

    Commas split first; ``·`` only in a list without commas (``양도인·양수인 신분증`` is one).
    """
    if "→" in text or "->" in text:
        return [text]
    separator = r"\s*[,;]\s*" if re.search(r"[,;]", text) else r"\s*[·、]\s*"
    parts = [p for p in re.split(separator, text.strip()) if p]
    return parts if len(parts) > 2 and all(len(p) <= 20 for p in parts) else [text]


def steps(text: str) -> list[str]:
    """The steps of an ordered procedure written ``a → b → c``; one step otherwise."""
    parts = [p for p in _STEP_SPLIT.split(text.strip()) if p]
    return parts if len(parts) > 2 else [text]


def numbered_name(text: str, fact_type: str = "text") -> bool:
    """A text value that is a name opening on a number, not an amount: "114 바로연결", "1588
    안내" (a number of three or more digits, no thousands comma, no known unit). No
    ladder of it is made ("100 바로연결" is invented); the author's values are its options."""
    found = amount(text)
    if fact_type != "text" or found is None or unit_family(text) or is_code(text) \
            or not re.search(r"[^\W\d_]{2,}", found[3]):
        return False  # "*123#" is a code; the unit must be a word
    number = re.search(r"\d[\d,.]*", text)
    return bool(number) and re.fullmatch(r"\d{3,}", number.group()) is not None  # not 5.9


def _named_number(text: str) -> bool:
    """A thing named with a number in it ("the 12-digit receipt number"), not an amount of a
    unit: two words or more after the number, none of a known unit."""
    return len(unit_words(text).split()) >= 2 and unit_family(text) is None


def _same_word(mine: str, theirs: str) -> bool:
    """One English word, or it and its plural ("line"/"lines", "box"/"boxes",
    "policy"/"policies", "movie"/"movies", "bus"/"buses")."""
    if mine == theirs:
        return True
    short, long = sorted((mine, theirs), key=len)
    return long in (short + "s", short + "es") or (
        short.endswith("y") and long == short[:-1] + "ies")


def same_unit(mine: str, theirs: str) -> bool:
    """Two units written alike but for the plural of any word ("1 working day" beside "3
    working days", "1 time a month" beside "2 times a month", "1 number" beside "2
    numbers"); Korean units have no plural and compare as written."""
    a, b = mine.strip().casefold().split(), theirs.strip().casefold().split()
    return len(a) == len(b) and all(_same_word(x, y) for x, y in zip(a, b, strict=True))


def same_kind(key: str, candidate: str, fact_type: str, *, strict: bool = False) -> bool:
    """Tell whether ``candidate`` can stand beside ``key`` as an option of the same kind.

    Amounts need the same unit family (``strict``: written the same way, ``₩5,500 a month``
    beside ``₩11,000 a month`` but not ``16,500 won per month``); codes the same shape.
    """
    if numbered_name(key, fact_type):  # a name: any other name, not an amount or a code
        return not is_code(candidate) and not (amount(candidate) and unit_family(candidate))
    if fact_type in ("money", "quantity", "duration") or amount(key):
        key_family, family = unit_family(key), unit_family(candidate)
        if amount(key) and not amount(candidate):  # a named thing holding a number may
            return not strict and _named_number(key) and bool(re.search(r"\d", candidate))
        if strict and amount(key) and (amount(key)[0] != amount(candidate)[0] or not same_unit(
                amount(key)[3], amount(candidate)[3])):
            return False
        if key_family or family:
            return key_family == family
        # the author's "the 10-digit line number" beside "the 12-digit receipt number": named
        # things holding a number, not amounts of one unit
        return same_unit(unit_words(key), unit_words(candidate)) or (
            not strict and _named_number(key) and _named_number(candidate))
    if is_code(key):
        return written_shape(key) == written_shape(candidate)
    if amount(candidate) and unit_family(candidate):
        return False  # "24 hours a day" beside "8 a.m. to 8 p.m. every day": another kind
    return not is_code(candidate)


_KO_PART_OF_DAY = "(오전|오후|밤|낮|아침|저녁|새벽)"  # "밤 12시부터 아침 6시까지": hours


def ko_what(fact: Fact) -> str:
    """The Korean question word for a fact, chosen by what the value means."""
    if fact.type == "date":
        return "언제입니까?"
    hour = rf"{_KO_PART_OF_DAY}?\s*\d{{1,2}}시"
    if re.fullmatch(rf"{hour}부터\s*{hour}(까지)?", fact.value.strip()):
        return "몇 시부터 몇 시까지입니까?"  # "오전 10시부터 오후 6시까지": hours
    last = re.sub(r"\([^()]*\)$", "", fact.label.split()[-1]) if fact.label.split() else ""
    by_label = _ko_by_label(last, fact.value, fact.type == "duration")
    if by_label:
        return by_label
    if fact.type == "money" or unit_family(fact.value) == "money":
        return "얼마입니까?"
    found = amount(fact.value) if fact.type in ("quantity", "duration") or _pure_amount(
        fact.value) else None
    values = [fact.value, *([fact.old_value] if fact.old_value else []), *fact.not_values]
    if found and len({unit_words(v) for v in values}) == 1:
        unit = found[3].strip()
        if unit in _KO_COUNTERS:
            return f"몇 {unit}입니까?"
        if unit in _KO_TIME_WORDS:
            return _KO_TIME_WORDS[unit]
    return "얼마입니까?" if found else "무엇입니까?"


def ko_counted(value: str) -> str | None:
    """The question word a Korean amount's own counter asks ("3개월" -> "몇 개월입니까?"),
    or ``None``."""
    found = amount(value)
    unit = found[3].strip() if found else ""
    if unit in _KO_COUNTERS:
        return f"몇 {unit}입니까?"
    return _KO_TIME_WORDS.get(unit)


def _pure_amount(value: str) -> bool:
    """A text value that is only an amount with a known unit ("30일", "5%")."""
    found = amount(value)
    return bool(found) and not found[0].strip() and (
        unit_family(value) is not None or found[3].strip() == "%")


def _ko_by_label(last: str, value: str, duration: bool = False) -> str | None:
    """The question word a label's last word asks for, whatever the value looks like; a
    ``duration`` fact's "14일" is a number of days, never the 14th."""
    if last.endswith(("나이", "연령")) and re.search(r"\d\s*세", value):
        return "몇 세입니까?"  # "만 65세 이상": an age, not an amount
    if last.endswith("횟수") and re.search(r"\d\s*회", value):
        return "몇 회입니까?"  # a count of times, whatever the other options say
    if last.endswith(_KO_WHO):
        return "누구입니까?"
    for unit in _KO_WHICH:
        if last.endswith(unit) and not last.endswith("팀장"):
            return f"어느 {unit}입니까?"
    if last.endswith(_KO_WHERE):
        return "어디입니까?"
    if last.endswith(_KO_HOW):
        return "어떻게 됩니까?"
    if last.endswith(_KO_WHEN):
        # "연락 기한" + "5영업일": a length of time, asked 며칠, never "기한은 언제입니까?"
        lasting = last.endswith(("기한", "마감")) and _pure_amount(value) \
            and (duration or not re.search(r"\d\s*일$", value.strip()))  # "3일": the 3rd?
        return (ko_counted(value) if lasting else None) or "언제입니까?"
    if last.endswith(_KO_RATE):
        return "얼마입니까?"
    if last.endswith("번호") and re.fullmatch(r"\d+\s*자리(\s*숫자)?", value.strip()):
        return "몇 자리입니까?"  # "6자리 숫자": a length, not a number
    if last.endswith("번호") and is_code(value):
        return "몇 번입니까?"
    if last.endswith(_KO_THING):
        return "무엇입니까?"
    if last.endswith("기간"):
        return "얼마입니까?"
    if len(last) > 1 and last.endswith("일") and not last.endswith("영업일"):
        return "언제입니까?"  # 출금일, 납부일
    return None


_PATH = re.compile(r"\S\s*(>|→)\s*\S")


def is_path(value: str) -> bool:
    """A menu path ("CRM > 고객 > 민원 > 신규", "요금 → 할인"): a place, said as a noun and asked
    with 어디, never its last segment turned into a verb."""
    return bool(_PATH.search(value))
