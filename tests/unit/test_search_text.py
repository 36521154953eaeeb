"""The knowledge base's text rules: query terms, index entries, highlighting and snippets."""

from __future__ import annotations

import pytest

from app.domain.bulletin.types import Fact
from app.domain.search_text import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    Entry,
    Segment,
    highlight,
    index_entries,
    matches,
    search_terms,
    snippet,
)


@pytest.mark.parametrize(("query", "terms"), [
    ("Wi-Fi login", ("Wi-Fi", "login")),
    ("  와이파이   로그인 ", ("와이파이", "로그인")),
    ("와이", ("와이",)),
    ("login LOGIN Login", ("login",)),
    ("\tWiBro\n50", ("WiBro", "50")),
])
def test_search_terms(query, terms):
    assert search_terms(query) == terms


@pytest.mark.parametrize(("query", "words"), [
    ("", "at least one word"),
    ("   ", "at least one word"),
    (None, "at least one word"),
    ("x" * (MAX_QUERY_LENGTH + 1), f"at most {MAX_QUERY_LENGTH}"),
    (" ".join(f"w{n}" for n in range(MAX_TERMS + 1)), f"at most {MAX_TERMS} are allowed"),
])
def test_unusable_queries_say_why(query, words):
    with pytest.raises(ValueError, match=words):
        search_terms(query)


def test_index_entries_one_per_fact_and_one_for_the_body():
    facts = [Fact("f-login", "Wi-Fi login credential", "WiBro ID and password",
                  old_value="a separate Wi-Fi bundle ID", not_values=("the phone number",)),
             Fact("f-date", "Effective date", "2010-09-01")]
    assert index_entries("WiBro title", "Body text.", facts) == [
        Entry("f-login", "Wi-Fi login credential",
              "WiBro ID and password\na separate Wi-Fi bundle ID"),
        Entry("f-date", "Effective date", "2010-09-01"),
        Entry(None, "WiBro title", "Body text."),
    ]


@pytest.mark.parametrize(("text", "terms", "expected"), [
    ("와이파이 로그인 계정", ("와이파이",), True),
    ("와이파이 로그인 계정", ("와이", "계정"), True),
    ("Wi-Fi login credential", ("wi-fi", "LOGIN"), True),
    ("Wi-Fi login credential", ("wi-fi", "password"), False),
])
def test_matches_every_term_case_insensitively(text, terms, expected):
    assert matches(text, terms) is expected


@pytest.mark.parametrize(("text", "terms", "expected"), [
    ("Wi-Fi login", ("login",), (Segment("Wi-Fi "), Segment("login", True))),
    ("LOGIN here", ("login",), (Segment("LOGIN", True), Segment(" here"))),
    ("와이파이 로그인", ("와이", "와이파이"), (Segment("와이파이", True), Segment(" 로그인"))),
    ("a+b (c)", ("+b (",), (Segment("a"), Segment("+b (", True), Segment("c)"))),
    ("<script>", ("script",), (Segment("<"), Segment("script", True), Segment(">"))),
    ("", ("x",), ()),
    ("plain", (), (Segment("plain"),)),
], ids=["one", "case", "longest-first", "regex-chars", "markup-stays-text", "empty",
        "no-terms"])
def test_highlight(text, terms, expected):
    assert highlight(text, terms) == expected


def test_snippet_centres_on_the_first_match_and_marks_cuts():
    text = " ".join(f"word{n}" for n in range(100)) + " needle " + " ".join(
        f"tail{n}" for n in range(100))
    segments = snippet(text, ("needle",), width=80)
    joined = "".join(s.text for s in segments)
    assert joined.startswith("…") and joined.endswith("…")
    assert len(joined) <= 80 + 2 + 40
    assert Segment("needle", True) in segments


def test_short_text_is_one_snippet_with_blanks_collapsed():
    assert snippet("a\n\n  login   b", ("login",)) == (
        Segment("a "), Segment("login", True), Segment(" b"))
