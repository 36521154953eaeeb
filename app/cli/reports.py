"""``flask --app app reports ...``: the report aggregates behind the manager views and the
weekly trend snapshots."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup
from sqlalchemy import delete

from app.core.database import unit_of_work
from app.core.extensions import db
from app.derived import eligibility_documents
from app.derived.aggregates import refresh_expired
from app.derived.aggregates_rebuild import rebuild
from app.models.trend_snapshots import trend_snapshots
from app.services.certification import time_pass_ahead
from app.services.reports.trend_snapshots import snapshot_weeks


@click.group("reports", cls=AppGroup)  # commands run in an app context
def reports_group():
    """Maintain the aggregates the manager board and gaps view read."""


@reports_group.command("rebuild")
def rebuild_command():
    """Recompute every report aggregate and every agent's stored eligibility document from
    scratch, in one transaction, and drop what the worker staged ahead of an instant.

    For a database written around the services (bulk SQL, `bench-data` does it itself) or to
    check the incremental upkeep; the app keeps them up to date on its own otherwise.
    """
    started = time.perf_counter()
    db.session.commit()  # no transaction of the session may hold the database
    with db.engine.begin() as connection:
        counts = rebuild(connection)
        counts["eligibility docs"] = eligibility_documents.rebuild(connection)
        # the marks may have changed under closed weeks: the worker writes them again
        counts["snapshots removed"] = connection.execute(delete(trend_snapshots)).rowcount
    with unit_of_work():  # what the worker computed ahead was computed from the old rows
        counts["stages dropped"] = time_pass_ahead.drop_all()
    for table, count in counts.items():
        click.echo(f"{table:>16}: {count:>10,}")
    click.echo(f"rebuilt in {time.perf_counter() - started:.1f} s")


@reports_group.command("refresh")
def refresh_command():
    """Recount the board cells whose certifications expired since they were counted (the
    worker does this on every pass)."""
    click.echo(f"cells recounted: {refresh_expired()}")


@reports_group.command("snapshot-weeks")
def snapshot_weeks_command():
    """Write the weekly trend snapshots of every closed week still missing (the worker does
    this every ONEVOICE_TREND_SNAPSHOT_INTERVAL_SECONDS); a second run writes nothing."""
    started = time.perf_counter()
    try:
        written = snapshot_weeks()
    except ValueError as error:  # a bad ONEVOICE_TREND_SNAPSHOT_* setting, named
        raise click.ClickException(str(error)) from None
    click.echo(f"snapshots written: {written.rows:,} ({written.weeks} week(s) in "
               f"{written.batches} batch(es)) in {time.perf_counter() - started:.1f} s")
