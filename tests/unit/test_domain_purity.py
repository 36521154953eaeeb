"""app/domain is pure Python: it imports neither Flask nor SQLAlchemy, nor the app around it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "app" / "domain"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(DOMAIN.parent.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(path: Path) -> str:
    name = _module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imported_modules(source: str, package: str) -> list[str]:
    """Return the absolute names of the modules ``source`` imports (relative ones resolved)."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                names.append(".".join(base + ([node.module] if node.module else [])))
            else:
                names.append(node.module or "")
    return names


def forbidden(module: str) -> bool:
    """Tell whether the domain may not import ``module``."""
    top = module.split(".")[0]
    if top in {"flask", "sqlalchemy", "flask_sqlalchemy", "alembic", "werkzeug"}:
        return True
    if top.startswith("flask_"):
        return True
    # The app package's __init__ builds the Flask app; only app.domain itself is pure.
    return top == "app" and module != "app.domain" and not module.startswith("app.domain.")


DOMAIN_FILES = sorted(DOMAIN.rglob("*.py"))


def test_domain_has_modules():
    assert DOMAIN_FILES, f"no modules found under {DOMAIN}"


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_module_is_pure(path: Path):
    bad = [
        m
        for m in imported_modules(path.read_text(encoding="utf-8"), _package(path))
        if forbidden(m)
    ]
    assert not bad, f"{path.relative_to(DOMAIN.parent.parent)} imports {bad}"


@pytest.mark.parametrize(
    ("source", "package", "is_bad"),
    [
        ("import flask", "app.domain", True),
        ("from flask import current_app", "app.domain", True),
        ("import flask_sqlalchemy", "app.domain", True),
        ("from flask_login import current_user", "app.domain", True),
        ("import sqlalchemy.orm", "app.domain", True),
        ("from sqlalchemy import select", "app.domain", True),
        ("from app.models import User", "app.domain", True),
        ("from ..models import User", "app.domain", True),
        ("from .. import db", "app.domain", True),
        ("def f():\n    import flask\n", "app.domain", True),
        ("from app.domain.gating import gate_at", "app.domain", False),
        ("from .gating import gate_at", "app.domain", False),
        ("from ..gating import gate_at", "app.domain.sub", False),
        ("import datetime, zoneinfo, random", "app.domain", False),
        ("from flaskish import x", "app.domain", False),
    ],
    ids=lambda v: v if isinstance(v, str) and "\n" not in v else None,
)
def test_checker_catches_forbidden_imports(source: str, package: str, is_bad: bool):
    assert any(forbidden(m) for m in imported_modules(source, package)) is is_bad
