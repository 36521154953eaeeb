"""Settings from the environment, with the embedded defaults.

Every setting can be given as an environment variable or as an upper-case name in
``instance/config.py``; the environment wins. ``create_app(config)`` overrides both (tests).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app


def _int(name: str, default: int | None) -> int | None:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"setting {name}={raw!r} is not a whole number") from None


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """A stable secret for the embedded default: generated once into instance/secret_key.

    Every process of the app must sign with the same key, and gunicorn's workers start
    together: the key is written to a file of this process's own and linked into place, which
    fails if another process got there first, so all of them read the one that won (never a
    half-written file).
    """
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        mine = instance_path / f"secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        mine.write_text(secrets.token_hex(32))
        mine.chmod(0o600)
        try:
            os.link(mine, path)  # atomic, and refuses an existing file
        except FileExistsError:
            pass  # another process wrote it first: use theirs
        finally:
            mine.unlink()
    key = path.read_text().strip()
    if not key:
        raise ValueError(f"{path} is empty; delete it (a new key is generated) or set SECRET_KEY")
    return key


def _embedded_address() -> str:
    """Where ``python app.py`` serves (ONEVOICE_HOST/PORT): the links in mails lead there
    unless ONEVOICE_BASE_URL says otherwise."""
    host = os.environ.get("ONEVOICE_HOST") or "127.0.0.1"
    return f"http://{host}:{_int('ONEVOICE_PORT', 5000)}"


def default_settings(instance_path: Path) -> dict:
    """The settings in force before instance/config.py and the test overrides."""
    sqlite_url = f"sqlite:///{instance_path / 'onevoice.sqlite3'}"
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL") or sqlite_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
        "ONEVOICE_TIMEZONE": os.environ.get("ONEVOICE_TIMEZONE", "Asia/Seoul"),
        "ONEVOICE_PASS_MARK": _int("ONEVOICE_PASS_MARK", 80),
        "ONEVOICE_RECERTIFY_AFTER_DAYS": _int("ONEVOICE_RECERTIFY_AFTER_DAYS", None),
        "ONEVOICE_RETAKE_COOLDOWN_MINUTES": _int("ONEVOICE_RETAKE_COOLDOWN_MINUTES", 10),
        "ONEVOICE_RETAKE_DAILY_CAP": _int("ONEVOICE_RETAKE_DAILY_CAP", 3),
        # A manager reminds an agent of a bulletin at most once per this many hours.
        "ONEVOICE_REMINDER_INTERVAL_HOURS": _int("ONEVOICE_REMINDER_INTERVAL_HOURS", 24),
        "ONEVOICE_WORKER_INTERVAL_SECONDS": _int("ONEVOICE_WORKER_INTERVAL_SECONDS", 30),
        # Agents per transaction of the worker's time pass (gates reached, expiries).
        "ONEVOICE_TIME_PASS_BATCH": _int("ONEVOICE_TIME_PASS_BATCH", 2000),
        # How long before an agent's next instant the worker computes its changes, so they
        # are applied at the instant in a few statements (0: not ahead; docs/deploy.md).
        "ONEVOICE_TIME_PASS_AHEAD_SECONDS": _int("ONEVOICE_TIME_PASS_AHEAD_SECONDS", 600),
        "ONEVOICE_TIME_PASS_PUBLISH_SECONDS": _int("ONEVOICE_TIME_PASS_PUBLISH_SECONDS", 10),
        # Weekly trend snapshots: how often the worker looks for closed weeks to write, and
        # how many closed weeks back they are kept (docs/performance.md, "Weekly snapshots").
        "ONEVOICE_TREND_SNAPSHOT_INTERVAL_SECONDS": _int(
            "ONEVOICE_TREND_SNAPSHOT_INTERVAL_SECONDS", 300),
        "ONEVOICE_TREND_SNAPSHOT_WEEKS": _int("ONEVOICE_TREND_SNAPSHOT_WEEKS", 53),
        # Candidate assignments per transaction of the worker's inbox pass (reminders).
        "ONEVOICE_INBOX_BATCH": _int("ONEVOICE_INBOX_BATCH", 2000),
        "ONEVOICE_FEED_RETENTION_DAYS": _int("ONEVOICE_FEED_RETENTION_DAYS", 30),
        "ONEVOICE_CALL_RETENTION_DAYS": _int("ONEVOICE_CALL_RETENTION_DAYS", 90),
        # Webhooks: how soon a committed event wakes delivery, the retry schedule, and how
        # long finished deliveries and fanned-out outbox rows are kept (docs/webhooks.md).
        "ONEVOICE_WEBHOOK_POLL_MS": _int("ONEVOICE_WEBHOOK_POLL_MS", 500),
        "ONEVOICE_WEBHOOK_SAFETY_POLL_SECONDS": _int("ONEVOICE_WEBHOOK_SAFETY_POLL_SECONDS", 30),
        "ONEVOICE_WEBHOOK_RETRY_SCHEDULE": os.environ.get("ONEVOICE_WEBHOOK_RETRY_SCHEDULE")
        or None,
        "ONEVOICE_WEBHOOK_LEASE_SECONDS": _int("ONEVOICE_WEBHOOK_LEASE_SECONDS", 120),
        # Deliveries in flight at once, each sender with its own kept-alive connections.
        "ONEVOICE_WEBHOOK_CONCURRENCY": _int("ONEVOICE_WEBHOOK_CONCURRENCY", 8),
        "ONEVOICE_WEBHOOK_RETENTION_DAYS": _int("ONEVOICE_WEBHOOK_RETENTION_DAYS", 30),
        "ONEVOICE_DB_RETRY_AFTER_SECONDS": _int("ONEVOICE_DB_RETRY_AFTER_SECONDS", 5),
        "ONEVOICE_SQLITE_BUSY_TIMEOUT_MS": _int("ONEVOICE_SQLITE_BUSY_TIMEOUT_MS", 15000),
        "ONEVOICE_FEED_MAX_WAIT_SECONDS": _int("ONEVOICE_FEED_MAX_WAIT_SECONDS", 25),
        "ONEVOICE_EMBEDDED_WORKER": _bool("ONEVOICE_EMBEDDED_WORKER", False),
        "ONEVOICE_PASSWORD_HASH": os.environ.get("ONEVOICE_PASSWORD_HASH", "argon2id"),
        "ONEVOICE_SESSION_IDLE_MINUTES": _int("ONEVOICE_SESSION_IDLE_MINUTES", 120),
        "ONEVOICE_SESSION_MAX_HOURS": _int("ONEVOICE_SESSION_MAX_HOURS", 12),
        "ONEVOICE_SIGNIN_ACCOUNT_FREE_FAILURES": _int("ONEVOICE_SIGNIN_ACCOUNT_FREE_FAILURES", 3),
        "ONEVOICE_SIGNIN_ACCOUNT_LOCK_AFTER": _int("ONEVOICE_SIGNIN_ACCOUNT_LOCK_AFTER", 10),
        "ONEVOICE_SIGNIN_ADDRESS_FREE_FAILURES": _int("ONEVOICE_SIGNIN_ADDRESS_FREE_FAILURES", 30),
        "ONEVOICE_SIGNIN_ADDRESS_LOCK_AFTER": _int("ONEVOICE_SIGNIN_ADDRESS_LOCK_AFTER", 100),
        "ONEVOICE_TOKEN_ADDRESS_FREE_FAILURES": _int("ONEVOICE_TOKEN_ADDRESS_FREE_FAILURES", 20),
        "ONEVOICE_TOKEN_ADDRESS_LOCK_AFTER": _int("ONEVOICE_TOKEN_ADDRESS_LOCK_AFTER", 50),
        "ONEVOICE_SIGNIN_DELAY_SECONDS": _int("ONEVOICE_SIGNIN_DELAY_SECONDS", 1),
        "ONEVOICE_SIGNIN_LOCK_MINUTES": _int("ONEVOICE_SIGNIN_LOCK_MINUTES", 15),
        "ONEVOICE_SIGNIN_WINDOW_MINUTES": _int("ONEVOICE_SIGNIN_WINDOW_MINUTES", 60),
        "ONEVOICE_SECURITY_LOG_RETENTION_DAYS": _int("ONEVOICE_SECURITY_LOG_RETENTION_DAYS", 365),
        "ONEVOICE_TRUSTED_PROXIES": _int("ONEVOICE_TRUSTED_PROXIES", 0),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ("en", "ko"),
        "JSON_SORT_KEYS": False,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_FROM": os.environ.get("MAIL_FROM") or None,
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_TIMEOUT_SECONDS": _int("MAIL_TIMEOUT_SECONDS", 10),
        "ONEVOICE_BASE_URL": os.environ.get("ONEVOICE_BASE_URL") or _embedded_address(),
        "ONEVOICE_INVITATION_DAYS": _int("ONEVOICE_INVITATION_DAYS", 7),
        "ONEVOICE_RESET_MINUTES": _int("ONEVOICE_RESET_MINUTES", 60),
        "PASSWORD_LOGIN": _bool("PASSWORD_LOGIN", True),
        **_oidc_settings(),
    }


OIDC_SETTINGS = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SCOPES",
                 "OIDC_ROLE_CLAIM", "OIDC_ROLE_MAP", "OIDC_TEAM_CLAIM", "OIDC_ALLOWED_DOMAINS",
                 "OIDC_BUTTON_LABEL", "OIDC_CLOCK_SKEW_SECONDS", "OIDC_TIMEOUT_SECONDS",
                 "OIDC_REDIRECT_URI")


def _oidc_settings() -> dict:
    """Single sign-on (docs/sso.md): read as text here, checked by app/domain/sso.py."""
    return {name: os.environ.get(name) or None for name in OIDC_SETTINGS}


def sign_in_overrides() -> dict:
    """Sign-in settings given in the environment, applied over instance/config.py: the
    rescue process of docs/sso.md runs with PASSWORD_LOGIN=true whatever the file says."""
    found = {name: os.environ[name] for name in OIDC_SETTINGS if os.environ.get(name)}
    if os.environ.get("PASSWORD_LOGIN"):
        found["PASSWORD_LOGIN"] = _bool("PASSWORD_LOGIN", True)
    return found


def whole_setting(name: str, default: int | None = None, unit: str = "") -> int:
    """The running app's setting ``name`` as a whole number of at least 1 (``default`` when it
    is not set); a clear ValueError naming the setting otherwise."""
    value = current_app.config.get(name, default)
    if value is None:
        value = default
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        of = f" of {unit}" if unit else ""
        raise ValueError(f"setting {name}={value!r} must be a whole number{of}, at least 1")
    return value
