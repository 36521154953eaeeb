"""The admin's commands: directory import, teams, skills, and listing/revoking API tokens.

``tokens create`` lives in app/cli/__init__.py; ``tokens list`` and ``tokens revoke`` join
that group from here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.cli import bp, tokens_group
from app.errors import ServiceError
from app.services.accounts import directory
from app.services.accounts.directory import InvalidRows, import_csv, teams_and_skills
from app.services.accounts.tokens import list_tokens, revoke_token, token_state


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@bp.cli.group("directory")
def directory_group():
    """Directory sync from HR/WFM."""


@directory_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--invite", is_flag=True, help="Mail an invitation to every agent created "
              "(needs MAIL_SERVER and ONEVOICE_BASE_URL).")
def directory_import(file, invite):
    """Upsert agents from a CSV file; every row is checked first; all or nothing.

    Columns: external_id,name,email,team,skills[,active]; skills separated by ';' or spaces.
    """
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        _fail(f"{file}: not UTF-8 text (byte {error.start}); save it as 'CSV UTF-8'")
    try:
        report = import_csv(text, invite=invite)
    except InvalidRows as error:
        for problem in error.errors:
            click.echo(f"{file}: {problem}", err=True)
        _fail(f"{len(error.errors)} problem(s); nothing was imported")
    except ServiceError as error:
        _fail(error.message)
    for label, count in (("created", report.created), ("updated", report.updated),
                         ("unchanged", report.unchanged),
                         ("eligibility changes", report.eligibility_changes)):
        click.echo(f"{label}: {count}")
    if invite:
        click.echo(f"invited: {report.invited}")
    for address in report.invitations_failed:
        click.echo(f"invitation not sent (mail failed): {address}", err=True)


def _code_group(kind: str, plural: str):
    """``<plural> create CODE NAME...`` and ``<plural> list``."""

    @bp.cli.group(plural, help=f"Manage {plural}.")
    def group():
        pass

    @group.command("create", help=f"Create a {kind}: CODE as routing systems name it, then "
                   "its NAME (several words allowed).")
    @click.argument("code")
    @click.argument("name", nargs=-1, required=True)
    def create(code, name):
        try:
            row = getattr(directory, f"create_{kind}")(code, " ".join(name))
        except ServiceError as error:
            _fail(error.message)
        click.echo(f"created {kind} {row.code} ({row.name})")

    @group.command("list", help=f"List the {plural}: code, then name.")
    def list_rows():
        for row in teams_and_skills()[0 if kind == "team" else 1]:
            click.echo(f"{row.code}\t{row.name}")

    return group


teams_group = _code_group("team", "teams")
skills_group = _code_group("skill", "skills")


@tokens_group.command("list")
def tokens_list():
    """List API tokens: id, state, name, prefix, user, created, last used, expires."""
    def when(value):
        return value.isoformat(timespec="seconds") if value else "-"

    click.echo("id\tstate\tname\tprefix\tuser\tcreated\tlast_used\texpires")
    for t in list_tokens():
        click.echo("\t".join([str(t.id), token_state(t), t.name, t.prefix, t.user.email,
                              when(t.created_at), when(t.last_used_at), when(t.expires_at)]))


@tokens_group.command("revoke")
@click.option("--id", "token_id", required=True, type=int, help="The token's id (tokens list).")
def tokens_revoke(token_id):
    """Revoke an API token: the API refuses it from now on."""
    try:
        token, now = revoke_token(token_id)
    except ServiceError as error:
        _fail(error.message)
    state = "revoked" if now else "was already revoked:"
    click.echo(f"{state} token {token.id} ({token.name}, {token.user.email})")
