"""``flask --app app routing ...``: reference adapters that keep a router equal to eligibility."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import Blueprint, current_app

from app.domain.routing import check_template

bp = Blueprint("routing_cli", __name__, cli_group="routing")
bp.cli.help = "Keep a routing system's queues equal to eligibility."


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _say(message: str, error: bool = False) -> None:
    click.echo(f"{datetime.now().astimezone():%Y-%m-%d %H:%M:%S} {message}", err=error)


def _template(_ctx, _param, value: str) -> str:
    try:
        return check_template(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@bp.cli.command("asterisk")
@click.option("--host", required=True, help="The Asterisk Manager Interface (AMI) host.")
@click.option("--port", default=5038, show_default=True, type=click.IntRange(1, 65535))
@click.option("--user", required=True, help="The AMI user (manager.conf; write = agent).")
@click.option("--secret", required=True, envvar="ONEVOICE_AMI_SECRET",
              help="The AMI secret (or the ONEVOICE_AMI_SECRET environment variable).")
@click.option("--interface", "template", default="PJSIP/{external_id}", show_default=True,
              callback=_template, help="An agent's queue interface.")
@click.option("--state", "state_file", type=click.Path(dir_okay=False), default=None,
              help="The state file (default: instance/routing-asterisk.json).")
@click.option("--once", is_flag=True, help="One reconcile and one outbox pass, then exit.")
@click.option("--interval", default=5.0, show_default=True, type=click.FloatRange(0.1),
              help="Seconds between outbox passes.")
@click.option("--reconcile/--no-reconcile", default=True, show_default=True,
              help="Compare every queue at start; --no-reconcile resumes from the state file.")
@click.option("--reconcile-every", default=3600.0, show_default=True,
              type=click.FloatRange(0), help="Seconds between full reconciles (0: at start only).")
@click.option("--dry-run", is_flag=True, help="Print the changes; send and save nothing.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1),
              help="Seconds to wait for Asterisk's answer to one action.")
@click.option("--record-calls", is_flag=True,
              help="Record answered calls (AgentConnect events; read = agent) for the "
                   "compliance audit.")
def asterisk_command(host, port, user, secret, template, state_file, once, interval,
                     reconcile, reconcile_every, dry_run, timeout, record_calls):
    """Keep Asterisk queues equal to eligibility.

    Each skill code is a queue of the same name; each cleared agent is a member through
    its interface (--interface). Exit status 1 when the login fails, Asterisk is
    unreachable at start, or (--once) a change failed and waits for a retry.
    """
    try:
        from integrations.asterisk.ami import AmiError, AmiSettings, AsteriskAmi
    except ModuleNotFoundError as error:
        if error.name != "panoramisk":
            raise
        _fail("the Asterisk adapter needs panoramisk: pip install -e '.[asterisk]'")
    from integrations.asterisk.runner import Adapter, Schedule, run  # needs panoramisk too

    settings = AmiSettings(host, port, user, secret, timeout, record_calls)
    state_path = Path(state_file or Path(current_app.instance_path) / "routing-asterisk.json")
    schedule = Schedule(once=once or dry_run, interval=interval, reconcile=reconcile,
                        reconcile_every=reconcile_every)
    try:
        adapter = asyncio.run(run(
            lambda: AsteriskAmi(settings),
            lambda router: Adapter(router, state_path, template, _say, dry_run=dry_run),
            schedule, transient=(AmiError,)))
    except (AmiError, ValueError) as error:
        _fail(str(error))
    except KeyboardInterrupt:
        return
    if once and not dry_run:
        _say(f"outbox at seq {adapter.state.last_seq}, state in {state_path}")
        if adapter.state.pending:
            _fail(f"{len(adapter.state.pending)} change(s) failed; they wait in {state_path} "
                  "for the next run")
