"""The SQL forms of the domain rules: the only place a rule is written as SQL.

A rule lives once, in ``app/domain`` as a pure function. Where a query must apply it inside
the database (one statement per page section, aggregates kept by the upkeep), it uses the
SQL expression here, never its own copy. Each expression names its Python twin, and
``tests/web/test_rules_sql.py`` runs both on generated agents, versions and certifications at
frozen instants, on SQLite and PostgreSQL, and requires the same answers.

| SQL form (here)        | Python twin                               |
|------------------------|-------------------------------------------|
| :func:`accepts`        | ``app.domain.eligibility.accepts``        |
| :func:`valid_at`       | ``app.domain.eligibility.is_valid``       |
| :func:`held_at`        | ``app.domain.eligibility.is_held``        |
| :func:`certified`      | ``accepts`` + ``is_valid``/``is_held``, any cert |
| :func:`mark_certified` | the same, read from a ``readiness_marks`` row     |
| :func:`at_risk`        | ``app.domain.readiness.is_at_risk``       |
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, or_

from app.domain.readiness import AT_RISK_DAYS
from app.models import Assignment, BulletinVersion, Certification


def accepts(held, version=BulletinVersion):
    """SQL: a certification on version ``held`` counts for ``version`` (rule 5).

    ``held`` and ``version`` are anything with ``lineage_id`` and ``number`` columns (an
    aliased ``BulletinVersion``, a subquery's ``.c``)."""
    return and_(held.lineage_id == version.lineage_id, held.number <= version.number)


def valid_at(at: datetime, until=Certification.valid_until):
    """SQL: a certification (or a mark's ``certified_until``) is still valid at ``at``."""
    return or_(until.is_(None), until > at)


def held_at(at: datetime):
    """SQL: the certification was passed by ``at`` and is valid then."""
    return and_(Certification.passed_at <= at, valid_at(at))


HELD_VERSION = BulletinVersion.__table__.alias("held_version")
"""The version a certification was passed on, inside :func:`certified`'s EXISTS. One Core
alias for every use: each EXISTS is its own scope, and building an alias (or an ORM
``aliased``) per call cost milliseconds per trend point."""


def certified(at: datetime, user_id=Assignment.user_id, version=BulletinVersion, *,
              history: bool = False):
    """SQL: agent ``user_id`` holds a certification counting for ``version`` at ``at``.

    ``history``: only certifications already passed at ``at`` count (a past instant);
    without it every certification on record does (``at`` is now or later)."""
    cv = HELD_VERSION
    return exists().where(
        Certification.user_id == user_id, Certification.version_id == cv.c.id,
        accepts(cv.c, version), held_at(at) if history else valid_at(at),
    )


def mark_certified(marks, at: datetime):
    """SQL: a ``readiness_marks`` row is certified at ``at`` (its certified_until is the
    latest expiry of the certifications counting for it, NULL when one never expires)."""
    return and_(marks.c.certified.is_(True), valid_at(at, marks.c.certified_until))


def at_risk(due_at, at: datetime, certified_clause, days: int = AT_RISK_DAYS):
    """SQL: not certified and due within ``days`` of ``at``, or overdue."""
    return and_(~certified_clause, due_at <= at + timedelta(days=days))
