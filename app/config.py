"""Settings from the environment, with the embedded defaults.

Every setting can be given as an environment variable or as an upper-case name in
``instance/config.py``; the environment wins. ``create_app(config)`` overrides both (tests).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


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
        "ONEVOICE_WORKER_INTERVAL_SECONDS": _int("ONEVOICE_WORKER_INTERVAL_SECONDS", 30),
        "ONEVOICE_FEED_RETENTION_DAYS": _int("ONEVOICE_FEED_RETENTION_DAYS", 30),
        "ONEVOICE_CALL_RETENTION_DAYS": _int("ONEVOICE_CALL_RETENTION_DAYS", 90),
        "ONEVOICE_FEED_MAX_WAIT_SECONDS": _int("ONEVOICE_FEED_MAX_WAIT_SECONDS", 25),
        "ONEVOICE_EMBEDDED_WORKER": _bool("ONEVOICE_EMBEDDED_WORKER", False),
        "ONEVOICE_PASSWORD_HASH": os.environ.get("ONEVOICE_PASSWORD_HASH", "argon2id"),
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
    }
