"""Knowledge gaps by team and fact, from first attempts, in a fixed number of queries.

Only the first graded attempt of each agent on a version counts: later attempts measure what
the quiz taught, not what the agent knew when the change reached them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from app.core.extensions import db
from app.domain import gaps as rules
from app.models import Bulletin, BulletinVersion, Fact, Item, ItemOption, Team, utcnow
from app.models.report_aggregates import gap_counts, readiness_cells
from app.queries.reports import current_clause
from app.services.content.bulletins import latest_version
from app.services.content.translations import languages_of, original_slug


@dataclass(frozen=True)
class BulletinChoice:
    """A current bulletin version assigned to at least one of the report's teams."""

    slug: str
    version: int
    title: str
    gate_at: datetime


@dataclass(frozen=True)
class GapsReport:
    """Gaps of one bulletin version for the report's teams (in scope order)."""

    bulletin: str | None
    version: int | None
    title: str
    facts: list[rules.FactInfo]
    teams: list[rules.TeamGaps]
    team_names: dict[str, str]
    one_voice: list[rules.OneVoiceRow]
    choices: list[BulletinChoice] = field(default_factory=list)
    low_sample: int = rules.LOW_SAMPLE
    # One change in several languages: its languages (the original's first) and, per team,
    # the first-attempt answers given in each (app/services/translations.py).
    languages: list[str] = field(default_factory=list)
    team_languages: dict[str, dict[str, int]] = field(default_factory=dict)


def bulletin_choices(teams: list[Team], at: datetime | None = None) -> list[BulletinChoice]:
    """Current published versions assigned to the teams, latest gate first (one query)."""
    at = at or utcnow()
    if not teams:
        return []
    c = readiness_cells.c
    query = (select(Bulletin.slug, BulletinVersion.number, BulletinVersion.title,
                    BulletinVersion.gate_at).select_from(readiness_cells)
             .join(BulletinVersion, BulletinVersion.id == c.version_id)
             .join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id)
             .where(c.team_id.in_([t.id for t in teams]), c.assigned > 0,
                    BulletinVersion.status == "published", current_clause(at)))
    rows = db.session.execute(
        query.distinct().order_by(BulletinVersion.gate_at.desc(), Bulletin.slug)).all()
    return [BulletinChoice(*row) for row in rows]


def knowledge_gaps(teams: list[Team], slug: str | None = None, *, at: datetime | None = None,
                   min_answers: int = rules.LOW_SAMPLE) -> GapsReport:
    """Team x fact shares correct on first attempts for ``slug`` (default: latest gate)."""
    choices = bulletin_choices(teams, at)
    slug = slug or (choices[0].slug if choices else None)
    names = {t.code: t.name for t in teams}
    if slug is None:
        return GapsReport(None, None, "", [], [], names, [], choices, min_answers)
    version = latest_version(original_slug(slug), published=True)
    facts = [rules.FactInfo(key, label, bool(old)) for key, label, old in db.session.execute(
        select(Fact.key, Fact.label, Fact.old_value).where(Fact.version_id == version.id)
        .order_by(Fact.position, Fact.id))]
    tallies, by_language = [], {}
    for variant in languages_of([version])[version.id]:  # the change in every language
        found = _tallies(variant.id, teams)
        tallies += found
        for tally in found:
            per_team = by_language.setdefault(tally.team, {})
            per_team[variant.lang] = per_team.get(variant.lang, 0) + tally.count
    gaps = rules.team_gaps([t.code for t in teams], facts, tallies)
    languages = [v.lang for v in languages_of([version])[version.id]]
    return GapsReport(version.slug, version.number, version.title, facts, gaps, names,
                      rules.one_voice(facts, gaps, min_answers), choices, min_answers,
                      languages if len(languages) > 1 else [], by_language)


def _options(version_id: int) -> tuple[dict[int, str], dict[int, tuple]]:
    """Fact key of each item, and (item kind, stem, text, source, fact old value) per option."""
    rows = db.session.execute(
        select(Item.id, Item.kind, Item.stem, Fact.key, Fact.old_value, ItemOption.id,
               ItemOption.text, ItemOption.source)
        .join(Fact, Fact.id == Item.fact_id)
        .outerjoin(ItemOption, ItemOption.item_id == Item.id)
        .where(Item.version_id == version_id)
    ).all()
    facts = {item_id: key for item_id, _, _, key, *_ in rows}
    options = {option_id: (kind, stem, text, source, old)
               for _, kind, stem, _, old, option_id, text, source in rows if option_id}
    return facts, options


def _tallies(version_id: int, teams: list[Team]) -> list[rules.Tally]:
    """First-attempt answers of the teams' active agents, counted per chosen option.

    Read from the maintained ``gap_counts`` (app/derived/aggregates.py): one statement.
    """
    if not teams:
        return []
    item_facts, options = _options(version_id)
    g = gap_counts.c
    rows = db.session.execute(
        select(Team.code, g.item_id, g.option_id, g.correct, func.sum(g.answers))
        .join(Team, Team.id == g.team_id)
        .where(g.version_id == version_id, g.team_id.in_([t.id for t in teams]))
        .group_by(Team.code, g.item_id, g.option_id, g.correct)
        .having(func.sum(g.answers) > 0)
    ).all()
    tallies = []
    for team, item_id, option_id, correct, count in rows:
        fact = item_facts[item_id]
        if not option_id:  # drawn but left blank (option 0): graded wrong
            tallies.append(rules.Tally(team, fact, False, count))
        elif correct:
            tallies.append(rules.Tally(team, fact, True, count))
        else:
            kind, stem, text, source, old = options[option_id]
            tallies.append(rules.Tally(team, fact, False, count,
                                       rules.wrong_claim(kind, text, source, stem, old), source))
    return tallies


def gaps_document(report: GapsReport) -> dict:
    """The report as ``GET /reports/gaps`` returns it (product.md section 7)."""
    return {
        "bulletin": report.bulletin, "version": report.version, "title": report.title,
        "languages": report.languages,
        "low_sample_below": report.low_sample,
        "teams": [{
            "team": team.team, "name": report.team_names.get(team.team, team.team),
            "answered": team.answered, "stale_rate": team.stale_rate,
            "languages": [{"lang": lang, "answers": report.team_languages.get(team.team, {})
                           .get(lang, 0)} for lang in report.languages],
            "facts": [{
                "fact": c.fact, "label": c.label, "answered": c.answered, "correct": c.correct,
                "share": c.share,
                "top_wrong": None if c.top_wrong is None else {
                    "text": c.top_wrong.text, "source": c.top_wrong.source,
                    "share": c.top_wrong.share},
            } for c in team.facts],
        } for team in report.teams],
        "one_voice": [{
            "fact": row.fact, "label": row.label, "spread": row.spread,
            "best": _team_share(row.best), "worst": _team_share(row.worst),
        } for row in report.one_voice],
    }


def _team_share(share: rules.TeamShare) -> dict:
    return {"team": share.team, "share": share.share, "answered": share.answered,
            "low_sample": share.low_sample}
