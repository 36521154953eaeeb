"""Languages, and times and numbers formatted for the reader (docs/translating.md).

The locale is chosen per request: the signed-in user's profile (``users.locale``), then the
``lang`` cookie the header switcher sets for anonymous visitors, then the browser's
Accept-Language, then English. The JSON API and anything outside a request (CLI, worker)
always use English. Times are shown in the organisation time zone (``ONEVOICE_TIMEZONE``).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.numbers import parse_pattern
from flask import Flask, current_app, has_request_context, request
from flask_babel import (
    format_date,
    format_decimal,
    format_time,
    get_locale,
    lazy_gettext,
)
from flask_login import current_user

from app.core.extensions import babel

LOCALES = ("en", "ko")
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}  # each language named in itself
DEFAULT_LOCALE = "en"
COOKIE = "lang"
BLANK = "—"
ROLE_NAMES = {"agent": lazy_gettext("Agent"), "trainer": lazy_gettext("Trainer"),
              "manager": lazy_gettext("Manager"), "admin": lazy_gettext("Administrator"),
              "integration": lazy_gettext("Integration")}
# Dates take the locale's CLDR "medium" form; times the 24-hour clock contact centres
# schedule by (CLDR's Korean short time would print "AM 12:05").
TIME, TIME_SECONDS = "HH:mm", "HH:mm:ss"


def supported(value: str | None) -> str | None:
    """The locale we have for a language tag (``ko``, ``ko-KR``, ``en_GB``...), else None."""
    language = (value or "").strip().lower().replace("_", "-").split("-")[0]
    return language if language in LOCALES else None


def select_locale() -> str:
    """Profile > cookie > Accept-Language > English; the API and non-requests get English."""
    if not has_request_context() or request.path.startswith("/api/"):
        return DEFAULT_LOCALE

    if current_user and current_user.is_authenticated:
        chosen = supported(getattr(current_user, "locale", None))
        if chosen:
            return chosen
    chosen = supported(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    return request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE


def current_locale() -> str:
    """The language of this request as a code (``en``/``ko``)."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LOCALE


def _as_datetime(value) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value


def _legacy(fmt: str) -> tuple[bool, bool, bool]:
    """(date?, time?, seconds?) asked for by an old strftime pattern such as '%Y-%m-%d %H:%M'."""
    has_date = any(code in fmt for code in ("%Y", "%m", "%d", "%b", "%B", "%a", "%A"))
    has_time = "%H" in fmt or "%I" in fmt
    return has_date or not has_time, has_time, "%S" in fmt


def local(value, fmt: str | None = None) -> str:
    """A UTC time in the organisation zone, formatted for the locale.

    ``fmt`` may be an old strftime pattern: it picks the parts (date, time, seconds) and the
    locale decides their form. Without it: the date alone.
    """
    value = _as_datetime(value)
    if value is None:
        return ""
    with_date, with_time, seconds = _legacy(fmt or "%Y-%m-%d")
    if with_date and with_time:
        return local_datetime(value, seconds=seconds)
    if with_time:
        return local_time(value, seconds=seconds)
    return format_date(value, "medium")


def local_datetime(value, seconds: bool = False) -> str:
    """Date and time in the organisation zone: en 'Nov 26, 2026 15:05', ko '2026. 11. 26. 15:05'."""
    value = _as_datetime(value)
    if value is None:
        return ""
    return f"{format_date(value, 'medium')} {local_time(value, seconds=seconds)}"


def local_time(value, seconds: bool = False) -> str:
    """Only the time of day in the organisation zone, 24-hour clock in every locale."""
    value = _as_datetime(value)
    return "" if value is None else format_time(value, TIME_SECONDS if seconds else TIME)


def local_date(value) -> str:
    """A calendar date (``date`` or ISO text) in the locale's form; no zone conversion."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, "medium")  # a datetime is an instant: shown in the org zone


def number(value, digits: int | None = None) -> str:
    """A number with the locale's grouping; ``digits`` fixes the decimals."""
    if value is None:
        return BLANK
    if digits is None:
        return format_decimal(value)
    return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")


def percent(value, digits: int = 0) -> str:
    """A fraction (0.425) as a percentage for the locale ('43%', or '42.5%' with digits=1)."""
    if value is None:
        return BLANK
    pattern = "#,##0%" if not digits else "#,##0." + "0" * digits + "%"
    return _number_pattern(pattern).apply(value, get_locale())


@lru_cache(maxsize=32)
def _number_pattern(pattern: str):
    """A parsed number pattern: format_percent parses its pattern on every call, which a
    board of thousands of cells notices."""
    return parse_pattern(pattern)


def select_timezone() -> str:
    """Every time is shown in the organisation zone (``ONEVOICE_TIMEZONE``)."""
    return current_app.config["ONEVOICE_TIMEZONE"]


def role_name(role: str) -> str:
    """A role's name for people, in the reader's language (unknown roles as stored)."""
    return str(ROLE_NAMES.get(role, role))


def init_app(app: Flask) -> None:
    """Babel (locale and zone selectors), the template filters and the switcher's globals."""
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["ONEVOICE_TIMEZONE"]
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    for name, func in {"local": local, "local_datetime": local_datetime, "local_time": local_time,
                       "local_date": local_date, "number": number, "percent": percent}.items():
        app.add_template_filter(func, name)
    app.jinja_env.globals.update(current_locale=current_locale, available_locales=LOCALES,
                                 language_names=LANGUAGE_NAMES, role_name=role_name)
