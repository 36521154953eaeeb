"""Refusals on the pages, in the reader's language (app/errors.py renders the codes).

Services, the domain and the CLI word a refusal as a catalogue code with params
(app/domain/refusals); a page shows it with :func:`refusal_text`. A retake refusal also
shows when the agent may try again, in the reader's time zone and form.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, request, url_for
from flask_babel import gettext

from app.core.i18n import local_datetime
from app.domain.refusals import Problem
from app.errors import ServiceError, error_text

__all__ = ["RowProblem", "problem_text", "refusal_handler", "refusal_text", "refused",
           "row_problem", "stored_reason"]


def _retake_text(error: ServiceError) -> str | None:
    details = error.details if isinstance(error.details, dict) else {}
    if error.api_code != "retake_not_allowed_yet" or "retry_at" not in details:
        return None
    when = local_datetime(details["retry_at"])
    if details.get("reason") == "cooldown":
        return gettext("After a failed attempt there is a short pause: you can try again at "
                       "%(when)s.", when=when)
    return gettext("Today's attempts are used up: you can try again at %(when)s.", when=when)


def refusal_text(error) -> str:
    """A refusal (a ServiceError or a domain problem with ``code``/``params``), translated;
    ``None`` stays empty."""
    if error is None:
        return ""
    if isinstance(error, ServiceError):
        return _retake_text(error) or error_text(error)
    return error_text(error)


def problem_text(error) -> str:
    """A parser problem as ``file:line: message`` with the message in the reader's language."""
    return f"{error.file}:{error.line}: {error_text(error)}"


@dataclass(frozen=True)
class RowProblem:
    """A directory or calls row problem as a page shows it."""

    row: int
    field: str | None
    message: str


def row_problem(error) -> RowProblem:
    """A row problem (app/domain/directory.py RowError) with its message translated."""
    return RowProblem(error.row, error.field, error_text(error))


def refused(error: ServiceError, home: str = "web.index"):
    """A refused action: say why, translated, on the page the user came from (or ``home``)."""
    flash(refusal_text(error), "error")
    return redirect(request.referrer or url_for(home))


def refusal_handler(home: str):
    """An error handler for an area's blueprint: :func:`refused`, back to ``home``."""
    return lambda error: refused(error, home)


def stored_reason(value) -> str:
    """A reason kept in the database (why a webhook endpoint was disabled, why a delivery
    failed: ``Problem.stored``) or a refusal, in the reader's language; text stored before
    reasons were codes (and a transport's own error text) is shown as it was written."""
    if value is None:
        return ""
    if isinstance(value, str):
        problem = Problem.from_stored(value)
        return error_text(problem) if problem else value
    return refusal_text(value)
