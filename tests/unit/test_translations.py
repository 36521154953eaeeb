"""The Korean catalogue covers every user-facing string, and the compiled .mo matches it.

A new ``_("...")`` without a Korean translation fails here, naming the string and its file;
docs/translating.md says how to add the translation (pybabel extract/update/compile).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "app" / "translations" / "ko" / "LC_MESSAGES"
# The keywords of docs/translating.md: Babel's defaults (_, gettext, ngettext, ...) and lazy ones.
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]")


def source_messages() -> dict[str, list[str]]:
    """Every msgid in app/ (babel.cfg), with the files it comes from."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def catalogue():
    with open(CATALOGUE / "messages.po", "rb") as fh:
        return read_po(fh, locale="ko")


def _msgid(message) -> str:
    return message.id[0] if isinstance(message.id, (tuple, list)) else message.id


def _strings(message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, (tuple, list)) else (string,)


def test_extraction_finds_the_interface_strings():
    found = source_messages()
    assert "Sign in" in found and "Language" in found  # templates and the header
    assert "Enter your email address." in found  # lazy_gettext in Python


def coverage_problems(catalogue, found: dict[str, list[str]]) -> list[str]:
    """One line per source msgid that is missing, untranslated or fuzzy in ``catalogue``."""
    by_id = {_msgid(m): m for m in catalogue if m.id}
    problems = []
    for msgid, places in sorted(found.items()):
        message = by_id.get(msgid)
        if message is None:
            problems.append(f"missing from messages.po: {msgid!r} ({places[0]})")
        elif not all(_strings(message)):
            problems.append(f"untranslated: {msgid!r} ({places[0]})")
        elif message.fuzzy:
            problems.append(f"fuzzy (needs review): {msgid!r} ({places[0]})")
    return problems


def test_every_source_string_has_a_korean_translation(catalogue):
    problems = coverage_problems(catalogue, source_messages())
    assert not problems, (
        f"{len(problems)} interface strings lack Korean (docs/translating.md):\n"
        + "\n".join(problems)
    )


def test_the_coverage_check_names_each_kind_of_gap():
    catalogue = Catalog(locale="ko")
    catalogue.add("Sign in", "로그인")
    catalogue.add("Sign out", "")
    catalogue.add("Search", "검색", flags=["fuzzy"])
    found = {"Sign in": ["a.html:1"], "Sign out": ["a.html:2"], "Search": ["b.py:3"],
             "New text": ["c.html:4"]}
    assert coverage_problems(catalogue, found) == [
        "missing from messages.po: 'New text' (c.html:4)",
        "fuzzy (needs review): 'Search' (b.py:3)",
        "untranslated: 'Sign out' (a.html:2)",
    ]


def test_translations_keep_the_placeholders(catalogue):
    wrong = []
    for message in catalogue:
        if not message.id or not all(_strings(message)):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = {p for i in ids for p in PLACEHOLDER.findall(i)}
        for text in _strings(message):
            if set(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"{_msgid(message)!r} -> {text!r}")
    assert not wrong, "placeholders differ from the msgid:\n" + "\n".join(wrong)


def stale_entries(po, mo) -> list[str]:
    """The msgids whose compiled translation differs from the .po (fuzzy ones are not compiled)."""
    expected = {_msgid(m): _strings(m) for m in po if m.id and all(_strings(m)) and not m.fuzzy}
    actual = {_msgid(m): _strings(m) for m in mo if m.id}
    return sorted(k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))


def test_compiled_catalogue_matches_the_po(catalogue):
    with open(CATALOGUE / "messages.mo", "rb") as fh:
        compiled = read_mo(fh)
    stale = stale_entries(catalogue, compiled)
    assert not stale, (
        "messages.mo is out of date with messages.po; run "
        "`pybabel compile -d app/translations` (docs/translating.md). Differing: "
        + ", ".join(repr(k) for k in stale[:20])
    )
    assert compiled.num_plurals == 1  # the header (Plural-Forms) was compiled in


def test_the_staleness_check_sees_a_changed_translation():
    po, mo = Catalog(locale="ko"), Catalog(locale="ko")
    for catalogue in (po, mo):
        catalogue.add("Sign in", "로그인")
    po.add("Search", "검색")
    mo.add("Search", "찾기")
    po.add("Draft", "초안", flags=["fuzzy"])
    assert stale_entries(po, mo) == ["Search"]
    mo["Search"].string = "검색"
    assert stale_entries(po, mo) == []
