"""Every refusal the product can word, by code: one catalogue for the API, the CLI and pages.

A refusal is a stable snake_case ``code`` and its ``params`` (pure data, see :class:`Problem`).
The catalogue maps each code to an English template with ``%(param)s`` placeholders. The
templates are marked with ``N_`` so ``pybabel extract`` finds them (N_ is one of Babel's
default keywords) and their Korean sits in ``app/translations``. This package is pure Python:
the domain words its own problems with it, :mod:`app.errors` renders them in English for the
API and the CLI, and in the reader's language for the pages (``error_text``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from app.domain.refusals.content import CONTENT, CONTENT_API_CODES
from app.domain.refusals.directory import DIRECTORY
from app.domain.refusals.parser import PARSER
from app.domain.refusals.people import PEOPLE
from app.domain.refusals.services import API_CODES as _SERVICE_API_CODES
from app.domain.refusals.services import SERVICES
from app.domain.refusals.sign_in import SIGN_IN

__all__ = ["API_CODES", "CATALOGUE", "Problem", "Refused", "english", "render"]

CATALOGUE: dict[str, str] = {**PARSER, **DIRECTORY, **PEOPLE, **SERVICES, **CONTENT, **SIGN_IN}
API_CODES: dict[str, str] = {**_SERVICE_API_CODES, **CONTENT_API_CODES}


@dataclass(frozen=True)
class Problem:
    """One refusal as data: a catalogue ``code`` and the values its template names.

    A param may itself be a :class:`Problem` (a phrase worded in the same language, such as
    a role name or a version status) or a list (shown comma-separated).
    """

    code: str
    params: Mapping[str, object] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, code: str, /, **params: object) -> Problem:
        """A problem from keyword params: ``Problem.of("unknown_skill", value="x")``."""
        return cls(code, params)

    @property
    def message(self) -> str:
        """The problem in English."""
        return english(self.code, self.params)

    def __str__(self) -> str:
        return self.message

    def stored(self, limit: int = 300) -> str:
        """The problem as text for a database column (why an endpoint was disabled, why a
        delivery failed), read back with :meth:`from_stored` and worded when shown: in the
        reader's language on a page, in English in the API. Params are kept as text; the
        longest is shortened so the whole fits ``limit`` characters."""
        params = {name: str(value) for name, value in self.params.items()}
        text = json.dumps({"code": self.code, "params": params}, ensure_ascii=False,
                          sort_keys=True)
        while len(text) > limit and params:
            longest = max(params, key=lambda name: len(params[name]))
            params[longest] = params[longest][:max(len(params[longest]) - (len(text) - limit)
                                                   - 1, 0)] + "…"
            text = json.dumps({"code": self.code, "params": params}, ensure_ascii=False,
                              sort_keys=True)
        return text

    @classmethod
    def from_stored(cls, text: str | None) -> Problem | None:
        """A problem kept with :meth:`stored`; ``None`` for anything else (text stored before
        reasons were codes is shown as it was written)."""
        if not text or not text.startswith('{"code"'):
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None
        return cls(data["code"], data.get("params") or {})


class Refused(ValueError):
    """A domain rule refused: ``problem`` says why (a ValueError, so callers may catch it)."""

    def __init__(self, code: str, /, **params: object):
        self.problem = Problem(code, params)
        super().__init__(self.problem.message)


def _identity(text: str) -> str:
    return text


def render(code: str, params: Mapping[str, object] | None = None,
           translate: Callable[[str], str] = _identity) -> str:
    """``code``'s template filled with ``params``, each template passed through ``translate``.

    A code the catalogue does not know is an English sentence from before the codes and is
    shown as it is (docs/api.md, "Errors"); a missing param raises ``KeyError``.
    """
    template = CATALOGUE.get(code)
    if template is None:
        return code
    values = {name: _value(value, translate) for name, value in (params or {}).items()}
    return translate(template) % values


def english(code: str, params: Mapping[str, object] | None = None) -> str:
    """``code`` with ``params`` in English (the API, the CLI, logs)."""
    return render(code, params)


def _value(value: object, translate: Callable[[str], str]) -> str:
    if isinstance(value, Problem):
        return render(value.code, value.params, translate)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return ", ".join(_value(v, translate) for v in items)
    return str(value)


