"""Layers point downward: each package imports only from the layers below it (issue #18).

Every import of every module counts, at the top of the module or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"

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
ALLOWED_INSIDE = {"app.domain": ("app.domain",), "app.errors": ()}


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
