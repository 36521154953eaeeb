"""Knowledge gaps: which facts each team gets wrong on first attempts, and how.

The services count first-attempt answers in the database (grouped by team, fact and chosen
option) and hand the counts here as :class:`Tally` rows; everything below is arithmetic on
those counts, so it is tested as tables with no database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LOW_SAMPLE = 5
"""A team with fewer first-attempt answers on a fact than this is flagged as a low sample."""

STALE_SOURCE = "old"


@dataclass(frozen=True)
class FactInfo:
    """A fact of the bulletin version: its id, label and whether it has a ``was:`` value."""

    key: str
    label: str
    has_old: bool = False


@dataclass(frozen=True)
class Tally:
    """How many first-attempt answers of ``team`` on ``fact`` chose one option.

    ``claim`` is what the chosen option says (see :func:`wrong_claim`), None for a blank
    answer; ``source`` is the chosen wrong option's source (``old``, ``not``, ...).
    """

    team: str
    fact: str
    correct: bool
    count: int
    claim: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class WrongAnswer:
    """The most chosen wrong answer of a cell and its share of the cell's answers."""

    text: str
    source: str | None
    count: int
    share: float


@dataclass(frozen=True)
class FactCell:
    """One team x fact cell: first-attempt answers, correct ones, and the top wrong answer."""

    fact: str
    label: str
    answered: int
    correct: int
    top_wrong: WrongAnswer | None

    @property
    def share(self) -> float | None:
        return share(self.correct, self.answered)


@dataclass(frozen=True)
class TeamGaps:
    """A team's cells (in fact order) and its stale-knowledge rate on the version."""

    team: str
    facts: tuple[FactCell, ...]
    stale: int  # answers to facts with a was: value that chose the old value
    stale_answered: int  # answers to facts with a was: value

    @property
    def stale_rate(self) -> float | None:
        return share(self.stale, self.stale_answered)

    @property
    def answered(self) -> int:
        return sum(cell.answered for cell in self.facts)


@dataclass(frozen=True)
class TeamShare:
    """A team's share correct on one fact, and whether it rests on too few answers."""

    team: str
    share: float
    answered: int
    low_sample: bool


@dataclass(frozen=True)
class OneVoiceRow:
    """A fact with its best and worst team: the wider the spread, the less one voice."""

    fact: str
    label: str
    best: TeamShare
    worst: TeamShare

    @property
    def spread(self) -> float:
        return round(self.best.share - self.worst.share, 4)


def share(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 4 places; None when ``whole`` is 0 (nothing to measure)."""
    return round(part / whole, 4) if whole else None


def wrong_claim(kind: str, option: str, source: str | None, stem: str,
                old_value: str | None) -> str:
    """What an agent claims by choosing a wrong option, comparable across a fact's items.

    Choosing the old-value option of any item claims the old value; a wrong True/False says
    "<option>: <statement>"; otherwise the option's own text.
    """
    if source == STALE_SOURCE and old_value:
        return old_value
    if kind == "true_false":
        return f"{option}: {stem}"
    return option


def _top_wrong(tallies: list[Tally], answered: int) -> WrongAnswer | None:
    counts: dict[tuple[str, str | None], int] = defaultdict(int)
    for row in tallies:
        if not row.correct and row.claim is not None:
            counts[(row.claim, row.source)] += row.count
    if not counts:
        return None
    (text, source), count = min(counts.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or ""))
    return WrongAnswer(text, source, count, share(count, answered) or 0.0)


def team_gaps(teams: Sequence[str], facts: Sequence[FactInfo],
              tallies: Iterable[Tally]) -> list[TeamGaps]:
    """Per team (in the given order): a cell per fact (in fact order) and the stale rate."""
    grouped: dict[tuple[str, str], list[Tally]] = defaultdict(list)
    for row in tallies:
        grouped[(row.team, row.fact)].append(row)
    result = []
    for team in teams:
        cells, stale, stale_answered = [], 0, 0
        for fact in facts:
            rows = grouped.get((team, fact.key), [])
            answered = sum(r.count for r in rows)
            correct = sum(r.count for r in rows if r.correct)
            cells.append(FactCell(fact.key, fact.label, answered, correct,
                                  _top_wrong(rows, answered)))
            if fact.has_old:
                stale_answered += answered
                stale += sum(r.count for r in rows
                             if not r.correct and r.source == STALE_SOURCE)
        result.append(TeamGaps(team, tuple(cells), stale, stale_answered))
    return result


def one_voice(facts: Sequence[FactInfo], gaps: Sequence[TeamGaps],
              min_answers: int = LOW_SAMPLE) -> list[OneVoiceRow]:
    """Facts answered by at least two teams, widest best-to-worst spread first.

    Ties keep the facts' order. Low-sample teams still count but are flagged.
    """
    rows = []
    for position, fact in enumerate(facts):
        shares = [
            TeamShare(g.team, cell.share, cell.answered, cell.answered < min_answers)
            for g in gaps for cell in g.facts if cell.fact == fact.key and cell.answered
        ]
        if len(shares) < 2:
            continue
        best = max(shares, key=lambda s: (s.share, s.answered))
        worst = min((s for s in shares if s is not best), key=lambda s: (s.share, -s.answered))
        rows.append((position, OneVoiceRow(fact.key, fact.label, best, worst)))
    rows.sort(key=lambda pair: (-pair[1].spread, pair[0]))
    return [row for _, row in rows]


def fact_shares(fact: str, gaps: Sequence[TeamGaps]) -> list[tuple[str, float | None, int]]:
    """(team, share correct, answered) of every team on one fact, in the teams' order."""
    return [(g.team, cell.share, cell.answered)
            for g in gaps for cell in g.facts if cell.fact == fact]


def worst_fact(facts: Sequence[FactInfo], gaps: Sequence[TeamGaps]) -> str | None:
    """The fact with the lowest share correct over every team's first attempts (ties: the
    earlier fact), the one a chart should lead with; None when nobody answered yet."""
    totals = {f.key: [0, 0] for f in facts}  # fact -> [correct, answered]
    for team in gaps:
        for cell in team.facts:
            if cell.fact in totals:
                totals[cell.fact][0] += cell.correct
                totals[cell.fact][1] += cell.answered
    answered = [(correct / count, n) for n, (key, (correct, count)) in enumerate(totals.items())
                if count]
    if not answered:
        return None
    keys = list(totals)
    return keys[min(answered)[1]]


def worst_first(rows: Sequence[tuple[str, float | None, int]]
                ) -> list[tuple[str, float | None, int]]:
    """(team, share, answered) rows with the lowest share first; rows without a share last;
    ties keep their order."""
    return sorted(rows, key=lambda row: (row[1] is None, row[1] or 0.0))
