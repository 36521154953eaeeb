"""Reading JSON request bodies with errors that name the field at fault."""

from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter

from app.errors import ServiceError

MAX_ID = 2**31 - 1  # PostgreSQL integer columns; a larger id in a URL is simply not found


class IdConverter(IntegerConverter):
    """``<id:name>``: a row id in a URL, 1 to MAX_ID; anything else does not match (404), so an
    id too large for the database never reaches a query."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=MAX_ID)


def register(bp) -> None:
    """Make ``<id:...>`` available before the blueprint's routes are added to the app, and
    refuse NUL characters in URLs first thing."""
    bp.record_once(lambda state: state.app.url_map.converters.setdefault("id", IdConverter))
    bp.before_request(_refuse_nul_in_url)


def _refuse_nul_in_url() -> None:
    """before_request: PostgreSQL text cannot hold NUL, so a NUL in a path or query
    parameter is a 400 naming it (never a database error)."""
    for name, value in [*request.args.items(multi=True), *(request.view_args or {}).items()]:
        if "\x00" in name or (isinstance(value, str) and "\x00" in value):
            raise ServiceError("parameter_nul", field=_printable(name), name=_printable(name))


def _printable(name: str) -> str:
    return name.replace("\x00", "\\0")


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def json_body(kind: type = dict):
    """The request's JSON body, which must be a ``kind`` (object or array)."""
    data = request.get_json(silent=True)
    if data is None:
        raise ServiceError("body_not_json")
    if not isinstance(data, kind):
        raise ServiceError("body_not_object" if kind is dict else "body_not_array")
    if _has_nul(data):
        raise ServiceError("body_nul")
    return data


def field(data: dict, name: str, kind: type | tuple = str, *, required: bool = True,
          default=None):
    """One field of a JSON object, type-checked."""
    if name not in data or data[name] is None:
        if required:
            raise ServiceError("field_required", field=name, name=name)
        return default
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        expected = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise ServiceError("field_type", field=name, name=name,
                           expected=expected_article(expected))
    return value


def expected_article(name: str) -> str:
    words = {"str": "a string", "int": "a whole number", "list": "an array",
             "bool": "true or false", "dict": "an object"}
    return words.get(name, name)
