"""OneVoice: bulletins, generated quizzes and certification gates for contact centres."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import derived
from app.core import i18n, security
from app.core.config import _secret_key, default_settings, sign_in_overrides
from app.core.extensions import csrf, db, login_manager, migrate
from app.domain.sso import check_sign_in
from app.services.accounts.throttle import token_failed

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings (defaults < instance/config.py < environment < ``config``)."""
    instance_path = Path(os.environ.get("ONEVOICE_INSTANCE_PATH") or PROJECT_ROOT / "instance")
    app = Flask(__name__, instance_path=str(instance_path), instance_relative_config=True)
    app.config.update(default_settings(instance_path))
    app.config.from_pyfile("config.py", silent=True)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config.update(sign_in_overrides())
    app.config.update(config or {})
    app.json.ensure_ascii = False  # Korean stays readable in API responses
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance_path)
    check_sign_in(app.config)  # a wrong OIDC_* / PASSWORD_LOGIN setting stops the start
    _init_extensions(app)
    _register_blueprints(app)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind ONEVOICE_TRUSTED_PROXIES proxies, take the client address (sign-in throttling,
    sessions, audit) and scheme from their X-Forwarded-For/-Proto headers."""
    count = app.config.get("ONEVOICE_TRUSTED_PROXIES") or 0
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def _init_extensions(app: Flask) -> None:
    # Here, not at the top: every ``import app.x`` runs this package first, so its top
    # stays light (the pure domain must not drag the web in).
    from app.core.database import configure_engine

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    csrf.init_app(app)
    i18n.init_app(app)  # Flask-Babel: locale, time zone, |local |number |percent filters
    security.init_app(app, token_failed=token_failed)  # bad bearer tokens are throttled
    derived.init_app(app)  # aggregates and eligibility documents kept before each commit
    with app.app_context():
        configure_engine(db.engine, app.config.get("ONEVOICE_SQLITE_BUSY_TIMEOUT_MS") or 15000)


def _register_blueprints(app: Flask) -> None:
    # Here, not at the top: the blueprints import most of the app, and every ``import
    # app.x`` runs this package first.
    from app.api import bp as api_bp
    from app.cli import bp as cli_bp
    from app.cli.routing import bp as routing_cli_bp
    from app.scim import bp as scim_bp
    from app.web.admin import bp as admin_bp
    from app.web.agent import bp as agent_bp
    from app.web.agent_support import bp as support_bp
    from app.web.auth import bp as auth_bp
    from app.web.manager import bp as manager_bp
    from app.web.shared import bp as web_bp
    from app.web.trainer import bp as trainer_bp

    csrf.exempt(api_bp)  # bearer tokens, never cookies: no CSRF surface
    csrf.exempt(scim_bp)  # the same for SCIM provisioning
    for bp in (web_bp, auth_bp, agent_bp, trainer_bp, manager_bp, admin_bp, api_bp, cli_bp):
        app.register_blueprint(bp)
    app.register_blueprint(routing_cli_bp)  # flask routing ...: reference router adapters
    app.register_blueprint(support_bp)  # /support: agent support, unlocks, audit
    app.register_blueprint(scim_bp)  # /scim/v2: SCIM provisioning (docs/scim.md)
    from app.web.admin.webhooks import bp as webhooks_admin_bp  # as above

    app.register_blueprint(webhooks_admin_bp)  # /admin/webhooks: endpoints, delivery log
