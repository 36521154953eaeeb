"""Korean particles (조사) whose form depends on the final consonant (받침) of the word before.

A word's *batchim class* decides the particle: ``"vowel"`` (no final consonant), ``"rieul"``
(final ㄹ: takes 로 like a vowel, but 을/이/은/과 like a consonant), ``"consonant"`` (any other
final consonant) or ``None`` when the last character is not a Hangul syllable (digits, Latin:
how it is read is not guessed). Where a blank ``_____`` is followed by a particle, the
particle must be the paired form (``(으)로``, ``을(를)``, ``이(가)``, ``은(는)``, ``와(과)``)
unless every option has the same known class and the particle fits that class.
"""

from __future__ import annotations

import re

BLANK = "_____"
_RIEUL = 8  # index of ㄹ among the 28 final-consonant slots

# particle -> (form after a consonant, form after a vowel, paired form)
_PAIRS = {
    "으로": ("으로", "로", "(으)로"), "로": ("으로", "로", "(으)로"),
    "을": ("을", "를", "을(를)"), "를": ("을", "를", "을(를)"),
    "이": ("이", "가", "이(가)"), "가": ("이", "가", "이(가)"),
    "은": ("은", "는", "은(는)"), "는": ("은", "는", "은(는)"),
    "과": ("과", "와", "와(과)"), "와": ("과", "와", "와(과)"),
}
_PAIRED = r"\(으\)로|을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|와\(과\)|과\(와\)"
# 으로/로 keep their form before further particles (로는, 로도); the one-syllable particles
# count only when no Hangul follows, so 이다/가능 are not taken for particles.
_SINGLE = r"으로|로|(?:을|를|이|가|은|는)(?![가-힣])|(?:과|와)(?![가-힣]|의)|과의|와의"
_AFTER_BLANK = re.compile(rf"{re.escape(BLANK)}(?:(?P<paired>{_PAIRED})|(?P<single>{_SINGLE}))")


def _final_index(char: str) -> int | None:
    code = ord(char) - 0xAC00
    return code % 28 if 0 <= code < 11172 else None


def has_batchim(word: str) -> bool:
    """Tell whether the last Hangul syllable of ``word`` has a final consonant.

    Trailing blanks and punctuation are ignored; a word that does not end in Hangul has none.
    """
    final = _final_index(word.rstrip(" .,!?'\"’”)")[-1:] or " ")
    return bool(final)


def batchim_class(word: str) -> str | None:
    """Return ``"vowel"``, ``"rieul"``, ``"consonant"`` or ``None`` (see the module docstring)."""
    final = _final_index(word.rstrip(" .,!?'\"’”)")[-1:] or " ")
    if final is None:
        return None
    return "vowel" if final == 0 else "rieul" if final == _RIEUL else "consonant"


def particle_for(word: str, particle: str) -> str:
    """Return the form of ``particle`` (any of its forms) that fits after ``word``.

    ``particle_for("수단", "는")`` is ``"은"``; the paired form when the class is unknown.
    """
    after_consonant, after_vowel, paired = _PAIRS[particle]
    cls = batchim_class(word)
    if cls is None:
        return paired
    if after_consonant == "으로":
        return after_consonant if cls == "consonant" else after_vowel
    return after_vowel if cls == "vowel" else after_consonant


def attach(word: str, particle: str) -> str:
    """Return ``word`` followed by the right form of ``particle``.

    A trailing parenthesis is skipped when choosing the form: ``이름(SSID)은``.
    """
    spoken = re.sub(r"\s*\([^()]*\)$", "", word) or word
    return word + particle_for(spoken, particle)


def _base(single: str) -> str:
    return single[:-1] if single in ("과의", "와의") else single


def fix_particles(stem: str) -> str:
    """Rewrite a single particle right after ``_____`` into its paired form."""

    def paired(match: re.Match) -> str:
        single = match.group("single")
        if not single:
            return match.group(0)
        rest = "의" if single in ("과의", "와의") else ""
        return BLANK + _PAIRS[_base(single)][2] + rest

    return _AFTER_BLANK.sub(paired, stem)


def particle_problems(stem: str, options: list[str]) -> list[str]:
    """Return what is wrong with the particles after blanks in ``stem`` for these options."""
    problems = []
    for match in _AFTER_BLANK.finditer(stem):
        single = match.group("single")
        if not single:
            continue
        particle = _base(single)
        fits = {particle_for(option, particle) for option in options}
        if fits != {particle}:
            paired = _PAIRS[particle][2]
            problems.append(f"particle '{particle}' after the blank does not fit every option;"
                            f" write '{paired}'")
    return problems
