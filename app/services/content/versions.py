"""Versions of one bulletin: read a given version, compare two of them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.core.extensions import db
from app.domain.versions_diff import FactsDiff, LineRow, diff_facts, diff_lines
from app.errors import NotFound, ServiceError
from app.models import Bulletin, BulletinVersion
from app.services.content.bulletins import fact_doc, get_bulletin


def get_version(slug: str, number: int) -> BulletinVersion:
    """Version ``number`` of bulletin ``slug``, or NotFound naming what is missing."""
    get_bulletin(slug)
    version = db.session.scalar(
        select(BulletinVersion).join(Bulletin)
        .where(Bulletin.slug == slug, BulletinVersion.number == number))
    if version is None:
        raise NotFound("no_version_number", field="version", slug=slug, n=number)
    return version


@dataclass(frozen=True)
class Comparison:
    """Two versions of a bulletin and what changed between them."""

    old: BulletinVersion
    new: BulletinVersion
    facts: FactsDiff
    lines: list[LineRow]

    @property
    def source_changed(self) -> bool:
        """Whether the bulletin files differ at all."""
        return any(row.kind != "equal" for row in self.lines)


def _number(raw, name: str) -> int | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        number = int(str(raw).strip())
    except ValueError:
        raise ServiceError("version_number_invalid", field=name, name=name,
                           raw=repr(str(raw))) from None
    if number < 1:
        raise ServiceError("version_number_too_small", field=name, name=name, raw=number)
    return number


def compare(slug: str, raw_from=None, raw_to=None) -> Comparison:
    """Compare versions ``from`` and ``to`` of a bulletin (default: the newest two)."""
    bulletin = get_bulletin(slug)
    to = _number(raw_to, "to") or max((v.number for v in bulletin.versions), default=1)
    start = _number(raw_from, "from")
    if start is None:
        if to == 1:
            raise ServiceError("no_earlier_version", field="from", slug=slug)
        start = to - 1
    old, new = get_version(slug, start), get_version(slug, to)
    return Comparison(
        old, new,
        diff_facts([fact_doc(f) for f in old.facts], [fact_doc(f) for f in new.facts]),
        diff_lines(old.source, new.source),
    )
