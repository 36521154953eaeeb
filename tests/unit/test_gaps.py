"""Knowledge-gap arithmetic: shares, top wrong answers, stale rates and the one-voice ranking."""

from __future__ import annotations

import pytest

from app.domain.gaps import (
    FactInfo,
    Tally,
    fact_shares,
    one_voice,
    share,
    team_gaps,
    wrong_claim,
)

LOGIN = FactInfo("f-login", "Wi-Fi login credential", has_old=True)
DATE = FactInfo("f-date", "Effective date")
FACTS = [LOGIN, DATE]
OLD = "a separate Wi-Fi bundle ID"


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (0, 0, None), (0, 3, 0.0), (1, 3, 0.3333), (2, 3, 0.6667), (5, 5, 1.0),
])
def test_share(part, whole, expected):
    assert share(part, whole) == expected


@pytest.mark.parametrize(("kind", "option", "source", "old", "expected"), [
    ("choice", OLD, "old", OLD, OLD),
    ("true_false", "True", "old", OLD, OLD),  # "True" to the old statement claims the old value
    ("true_false", "False", None, OLD, "False: The login is the WiBro ID."),
    ("choice", "the mobile phone number", "not", OLD, "the mobile phone number"),
    ("cloze", "Wi-Fi option", "glossary", None, "Wi-Fi option"),
    ("choice", "yes", "old", None, "yes"),  # no old value recorded: the option's own text
])
def test_wrong_claim(kind, option, source, old, expected):
    assert wrong_claim(kind, option, source, "The login is the WiBro ID.", old) == expected


def _tallies() -> list[Tally]:
    return [
        # wired: 6 answers on f-login, 1 correct, 4 chose the old value, 1 blank
        Tally("wired", "f-login", True, 1),
        Tally("wired", "f-login", False, 4, OLD, "old"),
        Tally("wired", "f-login", False, 1),
        # wired: f-date 2 answers, 1 correct, 1 perturbed
        Tally("wired", "f-date", True, 1),
        Tally("wired", "f-date", False, 1, "2010-10-01", "perturbed"),
        # care: f-login 4 of 5 correct; the wrong one a not: value
        Tally("care", "f-login", True, 4),
        Tally("care", "f-login", False, 1, "the mobile phone number", "not"),
        # care: f-date nobody answered
    ]


def test_team_gaps_cells_and_stale_rate():
    wired, care = team_gaps(["wired", "care"], FACTS, _tallies())
    login, date = wired.facts
    assert (login.fact, login.answered, login.correct, login.share) == ("f-login", 6, 1, 0.1667)
    assert (login.top_wrong.text, login.top_wrong.source, login.top_wrong.count,
            login.top_wrong.share) == (OLD, "old", 4, 0.6667)
    assert (date.answered, date.share, date.top_wrong.text) == (2, 0.5, "2010-10-01")
    # only f-login has a was: value: 4 of its 6 answers chose the old value
    assert (wired.stale, wired.stale_answered, wired.stale_rate) == (4, 6, 0.6667)
    assert wired.answered == 8

    care_login, care_date = care.facts
    assert (care_login.share, care_login.top_wrong.source) == (0.8, "not")
    assert (care_date.answered, care_date.share, care_date.top_wrong) == (0, None, None)
    assert (care.stale, care.stale_answered, care.stale_rate) == (0, 5, 0.0)


def test_a_team_without_answers_has_empty_cells_and_no_stale_rate():
    (empty,) = team_gaps(["sales"], FACTS, _tallies())
    assert [c.answered for c in empty.facts] == [0, 0]
    assert empty.stale_rate is None


def test_blank_answers_are_wrong_but_never_the_top_wrong_answer():
    (team,) = team_gaps(["t"], [DATE], [Tally("t", "f-date", False, 3),
                                         Tally("t", "f-date", True, 1)])
    assert (team.facts[0].share, team.facts[0].top_wrong) == (0.25, None)


def test_top_wrong_ties_break_by_text_so_the_answer_is_stable():
    rows = [Tally("t", "f-date", False, 2, "b", "perturbed"),
            Tally("t", "f-date", False, 2, "a", "perturbed")]
    (team,) = team_gaps(["t"], [DATE], rows)
    assert team.facts[0].top_wrong.text == "a"


def test_same_claim_from_several_items_adds_up():
    rows = [Tally("t", "f-login", False, 2, OLD, "old"),  # from the choice item
            Tally("t", "f-login", False, 2, OLD, "old"),  # from the true/false item
            Tally("t", "f-login", False, 3, "the mobile phone number", "not")]
    (team,) = team_gaps(["t"], [LOGIN], rows)
    assert (team.facts[0].top_wrong.text, team.facts[0].top_wrong.count) == (OLD, 4)


def test_one_voice_ranks_facts_by_spread_and_flags_low_samples():
    gaps = team_gaps(["wired", "care"], FACTS, _tallies())
    rows = one_voice(FACTS, gaps, min_answers=5)
    assert [r.fact for r in rows] == ["f-login"]  # f-date: only one team answered
    (login,) = rows
    assert (login.best.team, login.best.share, login.best.low_sample) == ("care", 0.8, False)
    assert (login.worst.team, login.worst.share, login.worst.low_sample) == ("wired", 0.1667,
                                                                             False)
    assert login.spread == 0.6333
    flagged = one_voice(FACTS, gaps, min_answers=6)[0]
    assert (flagged.best.low_sample, flagged.worst.low_sample) == (True, False)


def test_one_voice_orders_by_spread_then_fact_order():
    rows = [Tally("a", "f-login", True, 5), Tally("b", "f-login", True, 5),
            Tally("a", "f-date", True, 5), Tally("b", "f-date", False, 5, "x", "perturbed")]
    ranked = one_voice(FACTS, team_gaps(["a", "b"], FACTS, rows))
    assert [(r.fact, r.spread) for r in ranked] == [("f-date", 1.0), ("f-login", 0.0)]
    tie = ranked[1]
    assert tie.best.team != tie.worst.team  # two teams level: still two teams compared


def test_fact_shares_per_team():
    gaps = team_gaps(["wired", "care"], FACTS, _tallies())
    assert fact_shares("f-login", gaps) == [("wired", 0.1667, 6), ("care", 0.8, 5)]
    assert fact_shares("f-date", gaps) == [("wired", 0.5, 2), ("care", None, 0)]


def _team(code, *cells):
    from app.domain.gaps import FactCell, TeamGaps

    return TeamGaps(code, tuple(FactCell(f, f, answered, correct, None)
                                for f, answered, correct in cells), 0, 0)


@pytest.mark.parametrize(("teams", "expected"), [
    ([], None),
    ([_team("a", ("f1", 0, 0), ("f2", 0, 0))], None),  # nobody answered yet
    ([_team("a", ("f1", 4, 4), ("f2", 4, 1))], "f2"),  # everyone right on f1: lead with f2
    ([_team("a", ("f1", 4, 2), ("f2", 4, 2))], "f1"),  # a tie: the earlier fact
    ([_team("a", ("f1", 10, 9), ("f2", 1, 0)), _team("b", ("f1", 10, 0), ("f2", 9, 9))],
     "f1"),  # pooled over teams: f1 9/20, f2 9/10
])
def test_worst_fact_leads_the_chart(teams, expected):
    from app.domain.gaps import FactInfo, worst_fact

    facts = [FactInfo("f1", "F1"), FactInfo("f2", "F2")]
    assert worst_fact(facts, teams) == expected
