"""Layers point downward: each package imports only from the layers below it (issue #18).

Every import of every module counts, at the top of the module or inside a function.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"

# package -> the app packages it must never import
FORBIDDEN = {
    "app.domain": ("app.",),  # pure: only itself
    "app.errors": ("app.",),
    "app.core": ("app.services", "app.queries", "app.derived", "app.web", "app.api",
                 "app.scim", "app.cli"),
    "app.models": ("app.services", "app.queries", "app.derived", "app.web", "app.api",
                   "app.scim", "app.cli"),
    "app.rules_sql": ("app.core", "app.services", "app.queries", "app.derived", "app.web",
                      "app.api", "app.scim", "app.cli"),
    "app.derived": ("app.services", "app.queries", "app.web", "app.api", "app.scim",
                    "app.cli"),
    "app.services": ("app.web", "app.api", "app.scim", "app.cli", "benchmarks"),
    "app.queries": ("app.web", "app.api", "app.scim", "app.cli", "benchmarks"),
    "app.web": ("app.cli", "benchmarks"),
    "app.api": ("app.web", "app.cli", "benchmarks"),
    "app.cli": ("benchmarks",),
}
# app.errors renders refusals from the catalogue, which is pure data in the domain (the
# domain words its own problems with it and may import nothing above it): docs/errors.md.
ALLOWED_INSIDE = {"app.domain": ("app.domain",), "app.errors": ("app.domain.refusals",)}


def _module(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: a relative import"
            found.append((node.lineno, node.module or ""))
    return found


def _violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    inside = ALLOWED_INSIDE.get(package, (package,))
    files = [p for p in APP.parent.glob(package.replace(".", "/") + "/**/*.py")]
    single = APP.parent / (package.replace(".", "/") + ".py")
    files += [single] if single.exists() else []
    bad = []
    for path in files:
        for line, name in _imports(path):
            if any(name == f.rstrip(".") or name.startswith(f if f.endswith(".") else f + ".")
                   for f in forbidden) and not name.startswith(inside):
                bad.append(f"{path.relative_to(APP.parent)}:{line}: imports {name}")
    return bad


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_imports_only_downward(package):
    assert _violations(package, FORBIDDEN[package]) == []


def test_the_check_sees_an_upward_import(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("def f():\n    from app.web.shared import bp\n")
    assert _imports(path) == [(2, "app.web.shared")]


# --- views hold no SQL and no transaction (issue #18) ----------------------------------------

VIEW_PACKAGES = ("web", "api", "scim")
# (module, name) imports a view must not make: the transaction, the session, SQL building
FORBIDDEN_NAMES = {
    ("app.core.database", "unit_of_work"), ("app.core.extensions", "db"),
    ("sqlalchemy", "select"), ("sqlalchemy.sql", "select"), ("sqlalchemy.future", "select"),
}
FORBIDDEN_MODULES = ("app.core.database",)


def _sql_in_view(source: str) -> list[tuple[int, str]]:
    """What in ``source`` makes it hold SQL or a transaction: (line, what)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            found += [(node.lineno, f"imports {node.module}.{alias.name}")
                      for alias in node.names if (node.module, alias.name) in FORBIDDEN_NAMES]
            if node.module in FORBIDDEN_MODULES:
                found.append((node.lineno, f"imports from {node.module}"))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, f"imports {alias.name}") for alias in node.names
                      if alias.name in FORBIDDEN_MODULES]
        elif isinstance(node, ast.Attribute) and node.attr == "query":
            found.append((node.lineno, "uses .query"))
        elif isinstance(node, ast.Attribute) and node.attr in ("session", "select") and \
                isinstance(node.value, ast.Name) and node.value.id in ("db", "sqlalchemy", "sa"):
            found.append((node.lineno, f"uses {node.value.id}.{node.attr}"))
        elif isinstance(node, ast.Name) and node.id == "unit_of_work":
            found.append((node.lineno, "uses unit_of_work"))
    return found


@pytest.mark.parametrize("package", VIEW_PACKAGES)
def test_views_hold_no_sql_and_no_transaction(package):
    """A view parses, calls one service (which owns its unit of work) or one query, renders."""
    bad = [f"{path.relative_to(APP.parent)}:{line}: {what}"
           for path in sorted((APP / package).glob("**/*.py"))
           for line, what in _sql_in_view(path.read_text(encoding="utf-8"))]
    assert bad == []


@pytest.mark.parametrize(("source", "what"), [
    ("from app.core.database import unit_of_work\n", "imports app.core.database.unit_of_work"),
    ("from app.core.database import is_sqlite\n", "imports from app.core.database"),
    ("import app.core.database\n", "imports app.core.database"),
    ("from app.core.extensions import db\n", "imports app.core.extensions.db"),
    ("from sqlalchemy import func, select\n", "imports sqlalchemy.select"),
    ("rows = db.session.scalars(q)\n", "uses db.session"),
    ("rows = sqlalchemy.select(User)\n", "uses sqlalchemy.select"),
    ("user = User.query.get(1)\n", "uses .query"),
    ("def f():\n    with unit_of_work():\n        pass\n", "uses unit_of_work"),
])
def test_the_view_check_sees_sql_and_transactions(source, what):
    assert what in [found for _, found in _sql_in_view(source)]


def test_the_view_check_lets_a_thin_view_pass():
    source = ("from flask import jsonify, login_manager\n"
              "from app.core.extensions import login_manager\n"
              "from sqlalchemy.exc import IntegrityError\n"
              "def view():\n    return jsonify(service.run(request.args.get('q')))\n")
    assert _sql_in_view(source) == []


WEB_ENTRY_POINTS = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1] if path.name == "__init__.py"
             else path.relative_to(ROOT).with_suffix("").parts)
    for path in (ROOT / "app" / "web").glob("*/*.py")
    if path.name in {"__init__.py", "sso.py", "language.py"})


@pytest.mark.parametrize("module", WEB_ENTRY_POINTS)
def test_each_web_package_imports_first_in_a_fresh_interpreter(module):
    """No import cycle hides behind create_app's order: each web package (and the sign-in
    and language modules, which import across packages) imports on its own."""
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
