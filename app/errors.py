"""Refusals as codes: every layer raises :class:`ServiceError` (or a subclass) from here.

``ServiceError("unknown_skill", field="skill", code="roaming", choices=[...])`` names a
catalogue code (app/domain/refusals) and the values its template needs. ``message`` is the
English text the API and the CLI show; :func:`error_text` words the same refusal in the
reader's language for the pages. The JSON API answers with :attr:`ServiceError.api_code`:
the code the API has always given for that refusal (docs/api.md, "Errors").

A first argument the catalogue does not know is an English sentence from before the codes;
it is kept as the message, with ``code=`` (or the class's code) as its code.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext

from app.domain.refusals import API_CODES, CATALOGUE, Problem, english, render

__all__ = ["Conflict", "Forbidden", "NotFound", "Problem", "ServiceError", "TooMany",
           "error_text", "localized"]


class ServiceError(Exception):
    """A use case refused: ``code`` names why (the catalogue), ``status`` the HTTP status."""

    status = 400
    kind = "invalid"  # the API's code for a refusal the catalogue gives no API code

    def __init__(self, code: str, /, *, field: str | None = None,
                 details: dict | list | None = None, **params: object):
        if code not in CATALOGUE:  # an English sentence with an optional legacy code=
            self._text, code = code, str(params.pop("code", self.kind))
        else:
            self._text = None
        self.code, self.params = code, params
        self.field, self.details = field, details
        super().__init__(self.message)

    @classmethod
    def of(cls, problem: Problem, **kw: object) -> ServiceError:
        """A refusal from a domain :class:`Problem` (``field=``/``details=`` in ``kw``)."""
        return cls(problem.code, **kw, **problem.params)

    @property
    def message(self) -> str:
        """The refusal in English (the API's ``message``, the CLI's line)."""
        return self._text if self._text is not None else english(self.code, self.params)

    @property
    def api_code(self) -> str:
        """The JSON API's ``code`` for this refusal (kept stable, docs/api.md)."""
        if self._text is not None:
            return self.code
        return API_CODES.get(self.code, self.kind)


class NotFound(ServiceError):
    """Nothing with that id or name (404)."""

    status, kind = 404, "not_found"


class Conflict(ServiceError):
    """The state does not allow it now (409)."""

    status, kind = 409, "conflict"


class Forbidden(ServiceError):
    """The user may not do this (403)."""

    status, kind = 403, "forbidden"


class TooMany(ServiceError):
    """Not again yet: ``details["retry_at"]`` says when (429)."""

    status, kind = 429, "retake_not_allowed_yet"


def localized(code: str, params: Mapping[str, object] | None = None) -> str:
    """``code`` with ``params`` in the reader's language (needs a request or app context)."""
    return render(code, params, gettext)


def error_text(error) -> str:
    """A refusal in the reader's language: a :class:`ServiceError`, a domain ``Problem``,
    or anything else with ``code`` and ``params`` (SourceError, RowError)."""
    if isinstance(error, ServiceError) and error._text is not None:
        return error._text
    return localized(error.code, error.params)
