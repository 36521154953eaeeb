"""Item statistics of a bulletin's newest published version (item analysis, Moodle style).

The graded answers are aggregated in SQL into tallies (GROUP BY item, score, attempt total;
option counts; score distribution; fact-pair sums), so the report runs a fixed number of
statements whatever the number of items, attempts or answers; app.domain.item_analysis
computes the statistics from the tallies. Formulas and flags: docs/item-analysis.md.
"""

from __future__ import annotations

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from app.core.extensions import db
from app.domain import item_analysis as analysis
from app.domain.refusals import english
from app.errors import ServiceError
from app.models import Answer, Attempt, AttemptItem, Item, User
from app.queries.reports import visible_team_ids
from app.services.content.bulletins import latest_version

ATTEMPT_CHOICES = ("first", "all")
"""Which attempts count: each agent's first graded attempt (default, as Moodle) or all."""


def item_report(user: User, slug: str, attempts: str = "first") -> dict:
    """The item statistics document of ``slug``'s newest published version, as ``user`` may
    see it: a manager counts only attempts by agents of the teams they manage."""
    if attempts not in ATTEMPT_CHOICES:
        raise ServiceError("attempts_choice_invalid", field="attempts", value=attempts)
    version = latest_version(slug, published=True)
    team_ids = visible_team_ids(user)
    items = list(db.session.scalars(
        select(Item).where(Item.version_id == version.id).order_by(Item.position, Item.id)))
    chosen = _chosen_attempts(version.id, team_ids, first_only=attempts == "first")
    tallies = _tallies(chosen, {i.fact_id: i.fact.key for i in items})
    keys = [analysis.ItemKey(i.id, tuple(analysis.OptionKey(o.id, o.correct, o.text)
                                         for o in i.options)) for i in items]
    result = analysis.analyse(keys, tallies)
    stats = {s.item: s for s in result.items}
    shown = [i for i in items if i.status == "approved" or stats[i.id].n]
    warnings = [_flag_json(w) for w in result.warnings] + _scope_warnings(user, attempts)
    return {
        "bulletin": version.slug, "version": version.number, "title": version.title,
        "attempts": result.quiz.attempts, "quiz": _quiz_json(result.quiz),
        "items": [_item_json(i, stats[i.id]) for i in shown], "warnings": warnings,
    }


def _chosen_attempts(version_id: int, team_ids: set[int] | None, *, first_only: bool):
    """The graded attempts to analyse, as a CTE of attempt ids."""
    query = select(Attempt.id.label("attempt_id")).where(
        Attempt.version_id == version_id, Attempt.status == "submitted")
    if team_ids is not None:
        query = query.join(User, User.id == Attempt.user_id).where(User.team_id.in_(team_ids))
    if first_only:  # no earlier graded attempt by the same agent on this version
        earlier = aliased(Attempt)
        query = query.where(~exists().where(
            earlier.user_id == Attempt.user_id, earlier.version_id == version_id,
            earlier.status == "submitted",
            or_(earlier.started_at < Attempt.started_at,
                and_(earlier.started_at == Attempt.started_at, earlier.id < Attempt.id))))
    return query.cte("chosen")


def _tallies(chosen, fact_keys: dict[int, str]) -> analysis.Tallies:
    """Four aggregate queries: option counts, item x total cells, totals, fact-pair sums."""
    scores = (
        select(AttemptItem.attempt_id, AttemptItem.item_id, Item.fact_id, Answer.option_id,
               case((Answer.correct.is_(True), 1), else_=0).label("x"))
        .select_from(AttemptItem)
        .join(chosen, chosen.c.attempt_id == AttemptItem.attempt_id)
        .join(Item, Item.id == AttemptItem.item_id)
        .outerjoin(Answer, and_(Answer.attempt_id == AttemptItem.attempt_id,
                                Answer.item_id == AttemptItem.item_id))
    ).cte("scores")
    totals = select(scores.c.attempt_id, func.sum(scores.c.x).label("total"),
                    func.count().label("asked")).group_by(scores.c.attempt_id).cte("totals")
    options: dict[int, dict[int | None, int]] = {}
    for item_id, option_id, count in db.session.execute(
            select(scores.c.item_id, scores.c.option_id, func.count())
            .group_by(scores.c.item_id, scores.c.option_id)):
        options.setdefault(item_id, {})[option_id] = count
    cells: dict[int, list[analysis.ScoreCell]] = {}
    for item_id, x, total, count in db.session.execute(
            select(scores.c.item_id, scores.c.x, totals.c.total, func.count())
            .join(totals, totals.c.attempt_id == scores.c.attempt_id)
            .group_by(scores.c.item_id, scores.c.x, totals.c.total)):
        cells.setdefault(item_id, []).append(analysis.ScoreCell(int(x), int(total), count))
    distribution = [analysis.TotalCell(int(total), int(asked), count)
                    for total, asked, count in db.session.execute(
                        select(totals.c.total, totals.c.asked, func.count())
                        .group_by(totals.c.total, totals.c.asked))]
    return analysis.Tallies(options, cells, distribution, _pair_tallies(scores, fact_keys))


def _pair_tallies(scores, fact_keys: dict[int, str]) -> list[analysis.PairTally]:
    """Per pair of facts (slots), sums over the attempts that asked both: for alpha."""
    slots = select(scores.c.attempt_id, scores.c.fact_id, func.sum(scores.c.x).label("s")) \
        .group_by(scores.c.attempt_id, scores.c.fact_id).cte("slots")
    a, b = slots.alias("a"), slots.alias("b")
    rows = db.session.execute(
        select(a.c.fact_id, b.c.fact_id, func.count(), func.sum(a.c.s), func.sum(b.c.s),
               func.sum(a.c.s * a.c.s), func.sum(b.c.s * b.c.s), func.sum(a.c.s * b.c.s))
        .select_from(a)
        .join(b, and_(a.c.attempt_id == b.c.attempt_id, a.c.fact_id <= b.c.fact_id))
        .group_by(a.c.fact_id, b.c.fact_id))
    return [analysis.PairTally(fact_keys.get(fa, fa), fact_keys.get(fb, fb), n,
                               *(int(v) for v in sums)) for fa, fb, n, *sums in rows]


def _scope_warnings(user: User, attempts: str) -> list[dict]:
    out = []
    if attempts == "all":
        out.append({"code": "all_attempts", "option": None, "message": (
            "retakes are included and counted as independent attempts; an agent's later "
            "attempts build on the earlier ones, which biases these statistics")})
    if user.role == "manager":
        teams = [t.code for t in user.managed] or english("teams_none")
        out.append({"code": "team_scope", "option": None,
                    "message": english("team_scope", {"teams": teams})})
    return out


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _quiz_json(quiz: analysis.QuizStatistics) -> dict:
    return {"mean": _round(quiz.mean), "median": _round(quiz.median), "sd": _round(quiz.sd),
            "alpha": _round(quiz.alpha, 4)}


def _flag_json(flag: analysis.Flag) -> dict:
    return {"code": flag.code, "message": flag.message, "option": flag.option}


def _item_json(item: Item, stats: analysis.ItemStatistics) -> dict:
    return {
        "id": item.key, "fact": item.fact.key, "fact_label": item.fact.label,
        "stem": item.stem, "kind": item.kind, "status": item.status, "n": stats.n,
        "facility": _round(stats.facility), "sd": _round(stats.sd),
        "discrimination": _round(stats.discrimination),
        "efficiency": _round(stats.efficiency),
        "unanswered": _round(stats.unanswered, 4),
        "options": [{"id": o.id, "text": o.text, "correct": o.correct, "source": o.source,
                     "share": _round(stats.shares.get(o.id), 4)} for o in item.options],
        "flags": [_flag_json(f) for f in stats.flags],
    }
