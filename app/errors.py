"""Refusals every layer may raise or catch: a use case refused, with a ``code``.

Services raise them; the database layer, the pages, the API and the command line catch them.
"""


class ServiceError(Exception):
    """A use case refused: ``code`` maps to an HTTP status, ``message`` names what is wrong."""

    status = 400

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None,
                 details: dict | list | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.details = details


class NotFound(ServiceError):
    status = 404

    def __init__(self, message: str, **kw):
        kw.setdefault("code", "not_found")
        super().__init__(message, **kw)


class Conflict(ServiceError):
    status = 409

    def __init__(self, message: str, **kw):
        kw.setdefault("code", "conflict")
        super().__init__(message, **kw)


class Forbidden(ServiceError):
    status = 403

    def __init__(self, message: str, **kw):
        kw.setdefault("code", "forbidden")
        super().__init__(message, **kw)


class TooMany(ServiceError):
    status = 429

    def __init__(self, message: str, **kw):
        kw.setdefault("code", "retake_not_allowed_yet")
        super().__init__(message, **kw)
