"""Reading JSON request bodies with errors that name the field at fault."""

from __future__ import annotations

from flask import request

from ..services import ServiceError


def json_body(kind: type = dict):
    """The request's JSON body, which must be a ``kind`` (object or array)."""
    data = request.get_json(silent=True)
    if data is None:
        raise ServiceError("the request body must be JSON (Content-Type: application/json)",
                           code="invalid_json")
    if not isinstance(data, kind):
        what = "an object" if kind is dict else "an array"
        raise ServiceError(f"the request body must be {what}", code="invalid_json")
    return data


def field(data: dict, name: str, kind: type | tuple = str, *, required: bool = True,
          default=None):
    """One field of a JSON object, type-checked."""
    if name not in data or data[name] is None:
        if required:
            raise ServiceError(f"'{name}' is required", code="missing_field", field=name)
        return default
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        expected = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise ServiceError(f"'{name}' must be {expected_article(expected)}",
                           code="invalid_field", field=name)
    return value


def expected_article(name: str) -> str:
    words = {"str": "a string", "int": "a whole number", "list": "an array",
             "bool": "true or false", "dict": "an object"}
    return words.get(name, name)
