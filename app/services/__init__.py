"""Use cases: load models, call the domain rules, save the result (with outbox events).

Refusals are :class:`app.errors.ServiceError` and its subclasses, re-exported here.
"""

from app.errors import Conflict, Forbidden, NotFound, ServiceError, TooMany

__all__ = ["Conflict", "Forbidden", "NotFound", "ServiceError", "TooMany"]
