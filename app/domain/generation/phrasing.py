"""Stems, statements and explanations, in English and Korean.

Every template comes in two variants: one anchored on the effective date ("From 1 September
2010, ...") and one without it ("Under this change, ..."). Date facts always use the second,
so a stem never reads "From 1 September 2010, what is the effective date?"; the recipes fall
back to it too whenever the first would give the correct option away.
"""

from __future__ import annotations

from datetime import timedelta

from ..types import BulletinDoc, Fact
from .korean import attach
from .ladders import format_date, parse_date

TRUE_FALSE = {"en": ("True", "False"), "ko": ("맞다", "틀리다")}
_BOOL_TEXT = {"en": ("Yes", "No"), "ko": ("예", "아니요")}
_TRUE_WORDS = frozenset(("yes", "y", "true", "예", "네", "맞다", "있음", "필요", "필요함", "가능"))
_FALSE_WORDS = frozenset(("no", "n", "false", "아니요", "아니오", "틀리다", "없음", "불필요",
                          "필요 없음", "필요없음", "불가"))
_PLAN_WORDS = ("plan", "tariff", "package", "product", "요금제", "상품", "플랜")
_KO_WHAT = {"date": "언제입니까?", "money": "얼마입니까?", "quantity": "얼마입니까?",
            "duration": "얼마 동안입니까?"}
SCENARIO_DAYS_AFTER = 14  # the scenario's "today": two weeks into the change

_EN = {
    "choice": ("From {date}, what is the {label}?", "Under this change, what is the {label}?"),
    "choice_bool": ("From {date}, which answer is right for “{Label}”?",
                    "Under this change, which answer is right for “{Label}”?"),
    "perturbed": ("From {date}, which of these is exactly the {label}?",
                  "Under this change, which of these is exactly the {label}?"),
    "statement": ("From {date}, the {label} is {value}.",
                  "Under this change, the {label} is {value}."),
    "statement_bool": ("From {date}: {label} — {value}.", "Under this change: {label} — {value}."),
    "scenario": ("It is {later}. {customer} asks you about the {label}. What do you tell them?",),
    "explain": ("Since {date} the {label} is {value}{before}.",
                "Under this change the {label} is {value}{before}."),
    "explain_bool": ("Since {date} the answer for “{Label}” is {value}{before}.",
                     "Under this change the answer for “{Label}” is {value}{before}."),
    "before": "; before that it was {old}",
}
_KO = {
    "choice": ("{date}부터 {label_topic} {what}", "이번 변경에 따르면 {label_topic} {what}"),
    "choice_bool": ("{date}부터 ‘{label}’에 대한 올바른 답은 무엇입니까?",
                    "이번 변경에 따르면 ‘{label}’에 대한 올바른 답은 무엇입니까?"),
    "perturbed": ("{date}부터 적용되는 정확한 {label_topic} 어느 것입니까?",
                  "이번 변경에 따른 정확한 {label_topic} 어느 것입니까?"),
    "statement": ("{date}부터 {label_topic} {value}입니다.",
                  "이번 변경에 따르면 {label_topic} {value}입니다."),
    "statement_bool": ("{date}부터: {label} — {value}.", "이번 변경에 따르면: {label} — {value}."),
    "scenario": ("{later}, {customer} {label}에 대해 문의합니다. 어떻게 안내하시겠습니까?",),
    "explain": ("{date}부터 {label_topic} {value}입니다{before}.",
                "이번 변경에 따르면 {label_topic} {value}입니다{before}."),
    "explain_bool": ("{date}부터 ‘{label}’의 답은 {value}입니다{before}.",
                     "이번 변경에 따르면 ‘{label}’의 답은 {value}입니다{before}."),
    "before": "(이전: {old})",
}


def is_korean(lang: str) -> bool:
    """Tell whether ``lang`` (BCP 47) is Korean."""
    return lang.lower().startswith("ko")


def _templates(lang: str) -> dict:
    return _KO if is_korean(lang) else _EN


def parse_bool(value: str) -> bool | None:
    """Read a bool fact value (yes/no, true/false, 예/아니요, ...); ``None`` if it is not one."""
    word = " ".join(value.casefold().split()).rstrip(".")
    return True if word in _TRUE_WORDS else False if word in _FALSE_WORDS else None


def display_value(fact: Fact, value: str, lang: str) -> str:
    """Write a fact value as options show it: dates in the reader's form, bools as Yes/No."""
    if fact.type == "bool" and (truth := parse_bool(value)) is not None:
        yes, no = _BOOL_TEXT["ko" if is_korean(lang) else "en"]
        return yes if truth else no
    if fact.type == "date" and (day := parse_date(value)) is not None:
        return format_date(day, lang)
    return value.strip()


def flip_bool(value: str) -> str | None:
    """Return the opposite of a bool value ("yes" for "no"), or ``None``."""
    truth = parse_bool(value)
    return None if truth is None else ("no" if truth else "yes")


def _label_in_sentence(label: str) -> str:
    """Lower-case the first letter unless the first word is a name (``Wi-Fi``, ``WiBro``)."""
    first = label.split(" ", 1)[0]
    return label[:1].lower() + label[1:] if first[1:] == first[1:].lower() else label


def _fields(doc: BulletinDoc, fact: Fact, **extra: str) -> dict[str, str]:
    return {
        "date": format_date(doc.effective, doc.lang),
        "later": format_date(doc.effective + timedelta(days=SCENARIO_DAYS_AFTER), doc.lang),
        "label": fact.label if is_korean(doc.lang) else _label_in_sentence(fact.label),
        "Label": fact.label,
        "label_topic": attach(fact.label, "는"),
        "what": _KO_WHAT.get(fact.type, "무엇입니까?"),
        **extra,
    }


def _variants(doc: BulletinDoc, fact: Fact, name: str, **extra: str) -> list[str]:
    templates = _templates(doc.lang)
    if fact.type == "bool" and f"{name}_bool" in templates:
        name = f"{name}_bool"
    variants = list(templates[name])
    if fact.type == "date" and len(variants) > 1:
        variants = variants[1:]
    fields = _fields(doc, fact, **extra)
    return [variant.format(**fields) for variant in variants]


def question_stems(doc: BulletinDoc, fact: Fact, recipe: str = "choice") -> list[str]:
    """Candidate stems asking for the fact's current value, best first."""
    return _variants(doc, fact, "perturbed" if recipe == "perturbed" else "choice")


def statements(doc: BulletinDoc, fact: Fact, value: str) -> list[str]:
    """Candidate statements "the <label> is now <value>" for a true/false item."""
    return _variants(doc, fact, "statement", value=value)


def customer(doc: BulletinDoc, fact: Fact) -> str:
    """Who calls in a scenario: "A WiBro 50 GB customer" when another fact names the plan."""
    for other in doc.facts:
        plan_like = any(word in other.label.casefold() for word in _PLAN_WORDS)
        if other.key != fact.key and plan_like and other.type == "text" and len(other.value) <= 40:
            if is_korean(doc.lang):
                return f"{other.value} 고객이"
            article = "An" if other.value[:1].lower() in "aeiou" else "A"
            return f"{article} {other.value} customer"
    return "고객이" if is_korean(doc.lang) else "A customer"


def scenario_stems(doc: BulletinDoc, fact: Fact) -> list[str]:
    """Candidate stems putting the fact in a customer's call, best first."""
    stems = _variants(doc, fact, "scenario", customer=customer(doc, fact))
    anyone = "고객이" if is_korean(doc.lang) else "A customer"
    plain = _variants(doc, fact, "scenario", customer=anyone)
    return list(dict.fromkeys(stems + plain))


def explanation(doc: BulletinDoc, fact: Fact) -> str:
    """One sentence: the correct value and, when there is one, what it was before."""
    templates = _templates(doc.lang)
    old = display_value(fact, fact.old_value, doc.lang) if fact.old_value else ""
    before = templates["before"].format(old=old) if old else ""
    value = display_value(fact, fact.value, doc.lang)
    return _variants(doc, fact, "explain", value=value, before=before)[0]
