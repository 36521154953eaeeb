"""The filters every manager view accepts: team, skill, bulletin and a date range."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from flask import current_app

from app.domain import readiness as rules
from app.domain.gating import local_midnight
from app.domain.refusals import Refused
from app.errors import ServiceError
from app.models import utcnow
from app.queries.listings import bulletin_exists, skill_exists
from app.services.accounts.choices import unknown

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass(frozen=True)
class Filters:
    """What the view is narrowed to; empty values mean "all"."""

    team: str | None = None
    skill: str | None = None
    bulletin: str | None = None
    start: date | None = None
    end: date | None = None

    def args(self, **changes) -> dict:
        """Query arguments that reproduce these filters (with ``changes``), for links."""
        values = asdict(replace(self, **changes))
        names = {"start": "from", "end": "to"}
        return {names.get(k, k): (v.isoformat() if isinstance(v, date) else v)
                for k, v in values.items() if v}

    @property
    def week_ends(self) -> list[datetime]:
        """The weekly points of trends: the range's weeks, or the last 8 weeks."""
        try:
            return rules.week_ends_between(self.start, self.end, utcnow(), timezone())
        except Refused as error:
            raise ServiceError.of(error.problem, field="from") from None

    @property
    def start_at(self) -> datetime | None:
        return local_midnight(self.start, timezone()) if self.start else None

    @property
    def end_at(self) -> datetime | None:
        if self.end is None:
            return None
        return local_midnight(date.fromordinal(self.end.toordinal() + 1), timezone())


def timezone() -> str:
    """The organisation's time zone name."""
    return current_app.config["ONEVOICE_TIMEZONE"]


def _day(args, name: str) -> date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ServiceError("filter_date_invalid", field=name, name=name, value=text) from None


def parse_filters(args) -> Filters:
    """Read and check the filters of a request; a ServiceError names the one at fault."""
    team = (args.get("team") or "").strip() or None
    skill = (args.get("skill") or "").strip() or None
    bulletin = (args.get("bulletin") or "").strip() or None
    if skill and not skill_exists(skill):
        raise unknown("skill", skill)
    if bulletin and (not SLUG.match(bulletin) or not bulletin_exists(bulletin)):
        raise ServiceError("filter_unknown_bulletin", field="bulletin", bulletin=bulletin)
    start, end = _day(args, "from"), _day(args, "to")
    if start and end and start > end:
        raise ServiceError("filter_range_reversed", field="from", start=start.isoformat(),
                           end=end.isoformat())
    return Filters(team, skill, bulletin, start, end)
