"""The readiness board's language split: one column per change, its counts per language.

A change published in two languages has one requirement and one assignment per agent (the
original's); each agent reads it in their language (app/services/translations.py). The
board shows, in the change's one cell per team, how many assigned agents read each language
and how many of them are certified (by a pass in either language).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select

from app import rules_sql
from app.core.extensions import db
from app.domain.translations import reading_language
from app.models import Assignment, Bulletin, BulletinVersion, Team, User
from app.services.content.translations import languages_of


@dataclass(frozen=True)
class LanguageCount:
    """Agents of a team assigned a change who read it in ``lang``, and how many are certified."""

    lang: str
    assigned: int
    certified: int


def bilingual_versions(slug_versions: list[tuple[str, int]]) -> dict[tuple[str, int], list[str]]:
    """For the board's columns (slug, version): the languages of those that have a current
    translation (original's first); one-language columns are left out. Two queries."""
    if not slug_versions:
        return {}
    wanted = set(slug_versions)
    versions = [v for v in db.session.scalars(
        select(BulletinVersion).join(Bulletin)
        .where(Bulletin.slug.in_({slug for slug, _ in wanted})))
        if (v.slug, v.number) in wanted]
    variants = languages_of(versions)  # one query for every column, not one per column
    return {(v.slug, v.number): [x.lang for x in variants[v.id]]
            for v in versions if len(variants[v.id]) > 1}


def readiness_by_language(teams: list[Team], columns: dict[tuple[str, int], list[str]],
                          at: datetime) -> dict[tuple[str, str, int], list[LanguageCount]]:
    """Per (team code, slug, version) of a bilingual column: the counts per language, one query.

    An agent counts under the language they read (their preference when the change has it,
    else the original's); active agents only, as on the board.
    """
    if not teams or not columns:
        return {}
    rows = db.session.execute(
        select(Team.code, Bulletin.slug, BulletinVersion.number, User.locale,
               rules_sql.certified(at))
        .select_from(Assignment)
        .join(User, and_(User.id == Assignment.user_id, User.active.is_(True),
                         User.role == "agent"))
        .join(Team, Team.id == User.team_id)
        .join(BulletinVersion, BulletinVersion.id == Assignment.version_id)
        .join(Bulletin, Bulletin.id == BulletinVersion.bulletin_id)
        .where(Team.id.in_([t.id for t in teams]),
               Bulletin.slug.in_({slug for slug, _ in columns}))
    ).all()
    counts: dict[tuple, dict[str, list[int]]] = defaultdict(dict)
    for team, slug, number, locale, certified in rows:
        languages = columns.get((slug, number))
        if not languages:
            continue
        lang = reading_language(locale, languages)
        tally = counts[(team, slug, number)].setdefault(lang, [0, 0])
        tally[0] += 1
        tally[1] += 1 if certified else 0
    return {key: [LanguageCount(lang, *per.get(lang, [0, 0])) for lang in columns[key[1:]]]
            for key, per in counts.items()}
