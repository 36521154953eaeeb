"""Every refusal code raised anywhere in app/ is in the catalogue (app/domain/refusals), has
Korean, and gets the params its template names.

The raise sites are found by reading the source (ast): ``ServiceError(...)`` and its
subclasses, the domain's ``Problem``/``Refused``/``SourceError``/``RowError`` and the parser's
``P(...)``, each with its code as a literal (or an f-string, matched as a pattern).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.domain.refusals import API_CODES, CATALOGUE, Problem, english, render

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "app" / "translations" / "ko" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
BASE_ERRORS = {"ServiceError", "NotFound", "Conflict", "Forbidden", "TooMany"}
# constructor -> (position of the code, position of a params dict, or None)
DOMAIN = {"Problem": (0, 1), "of": (0, None), "P": (0, None), "Refused": (0, None),
          "SignInRefused": (0, None),
          "SourceError": (2, 3), "RowError": (2, 3), "unknown": (None, None),
          "ProviderProblem": (0, None)}  # the sign-in page's provider problems (web/auth/sso.py)
PEOPLE_PROBLEMS = {"people.py", "provisioning.py", "provisioning_teams.py"}


@dataclass(frozen=True)
class Site:
    """One place a refusal is worded: the code (or a pattern) and the params it passes."""

    where: str
    code: str | None
    pattern: re.Pattern | None
    params: frozenset[str] | None  # None: passed on from elsewhere (**params), not checked


def _name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _codes_of(node: ast.AST | None) -> list[tuple[str | None, re.Pattern | None]]:
    """The literal codes or f-string patterns ``node`` can be (none: not a code)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value, None)]
    if isinstance(node, ast.JoinedStr):
        parts = [re.escape(v.value) if isinstance(v, ast.Constant) else r"\w+"
                 for v in node.values]
        return [(None, re.compile("".join(parts)))]
    if isinstance(node, ast.IfExp):
        return _codes_of(node.body) + _codes_of(node.orelse)
    return []


def _keywords(call: ast.Call, dict_at: int | None, skip: set[str]) -> frozenset[str] | None:
    if any(k.arg is None for k in call.keywords):
        return None
    names = {k.arg for k in call.keywords} - skip
    if dict_at is not None and len(call.args) > dict_at:
        given = call.args[dict_at]
        if not isinstance(given, ast.Dict) or None in given.keys:
            return None
        names |= {k.value for k in given.keys if isinstance(k, ast.Constant)}
    return frozenset(names)


def _sites_in(path: Path) -> list[Site]:
    return _sites(path.read_text(), path.relative_to(ROOT))


def _sites(source: str, path: Path) -> list[Site]:
    """The raise sites in ``source``, the text of ``path`` (relative to the project)."""
    found = []
    for call in (n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)):
        name, where = _name(call), f"{path}:{call.lineno}"
        if name in ERRORS and call.args:
            node, dict_at, skip = call.args[0], None, {"field", "details"}
        elif name in DOMAIN and DOMAIN[name][0] is not None:
            at, dict_at = DOMAIN[name]
            if name == "Problem" and path.name in PEOPLE_PROBLEMS:
                at, dict_at = 1, 2  # Problem(field, code, params) of the people rules
            if name == "of" and not (isinstance(call.func, ast.Attribute)
                                     and ast.unparse(call.func.value) in {"Problem",
                                                                           "RowError"}):
                continue
            if name == "of" and ast.unparse(call.func.value) == "RowError":
                continue  # RowError.of(row, field, problem): the problem is a site itself
            if len(call.args) <= at:
                continue
            node, skip = call.args[at], set()
        else:
            continue
        found += [Site(where, code, pattern, _keywords(call, dict_at, skip))
                  for code, pattern in _codes_of(node)]
    return found


def _error_classes(paths: list[Path]) -> set[str]:
    """ServiceError and every class deriving from it in app/ (by name, to a fixed point)."""
    classes = [node for path in paths for node in ast.walk(ast.parse(path.read_text()))
               if isinstance(node, ast.ClassDef)]
    names, grown = set(BASE_ERRORS), True
    while grown:
        more = {c.name for c in classes
                if any(getattr(b, "id", getattr(b, "attr", None)) in names for b in c.bases)}
        grown, names = bool(more - names), names | more
    return names


def _sources() -> list[Path]:
    # the catalogue is not walked as a raise site
    return [path for path in sorted((ROOT / "app").rglob("*.py")) if "refusals" not in path.parts]


ERRORS = _error_classes(_sources())
SITES = [site for path in _sources() for site in _sites_in(path)]


def _korean() -> dict[str, str]:
    with open(PO, "rb") as fh:
        return {m.id: m.string for m in read_po(fh, locale="ko") if m.id}


def test_the_walk_finds_the_raise_sites():
    assert {"InvalidRows", "Gone", "KeyReused", "Throttled", "MailNotConfigured"} <= ERRORS
    codes = {site.code for site in SITES}
    assert {"no_bulletin", "already_certified", "no_attempt", "field_not_choice",
            "row_repeated", "password_too_short"} <= codes
    assert len(SITES) > 150


def test_the_walk_finds_the_sign_in_refusals():
    """The claims' refusals (domain and service), the provider's problems and password
    sign-in turned off (the web) are raise sites like any other."""
    where = {site.code: site.where.partition(":")[0] for site in SITES}
    assert where["sso_unknown_team"] == where["role_needs_admin"] == "app/domain/sso.py"
    assert where["unknown_user"] == "app/services/accounts/sso.py"
    assert where["provider_unreachable"] == where["cancelled"] == "app/web/auth/sso.py"
    assert where["password_login_off"] == "app/web/auth/__init__.py"
    planted = _sites('raise ProviderProblem("provider_gone", f"{error}")\n'
                     'raise rules.SignInRefused("no_such_person", email=email)\n',
                     Path("app/web/auth/sso.py"))
    assert [(s.code, s.params) for s in planted] == [
        ("provider_gone", frozenset()), ("no_such_person", frozenset({"email"}))]
    assert not {s.code for s in planted} & set(CATALOGUE)  # so the next test would fail


def test_catalogue_modules_share_no_code():
    """The modules' templates are merged into one dict: a code in two of them (or twice in
    one) would silently lose a template."""
    seen: dict[str, str] = {}
    twice = []
    for path in sorted((ROOT / "app" / "domain" / "refusals").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Dict):
                continue
            for key, value in zip(node.keys, node.values, strict=True):
                if not (isinstance(key, ast.Constant) and isinstance(value, ast.Call)
                        and _name(value) == "N_"):
                    continue  # not a template (API_CODES maps codes to API codes)
                if key.value in seen:
                    twice.append(f"{key.value}: {seen[key.value]} and {path.name}")
                seen[key.value] = path.name
    assert not twice, "\n".join(twice)
    assert set(CATALOGUE) <= set(seen)


def test_every_raised_code_is_in_the_catalogue():
    unknown = [f"{s.where}: {s.code or s.pattern.pattern}" for s in SITES
               if (s.code not in CATALOGUE if s.code is not None
                   else not any(s.pattern.fullmatch(code) for code in CATALOGUE))]
    assert not unknown, "codes without a catalogue entry (app/domain/refusals):\n" + \
        "\n".join(unknown)


def _unused(codes, paths: list[Path]) -> list[str]:
    """The ``codes`` no string in ``paths`` names, literally or as an f-string pattern with
    some letters of its own (``f"role_{role}"``; ``f"{a}_{b}"`` would match any code)."""
    trees = [ast.parse(path.read_text()) for path in paths]
    strings = {node.value for tree in trees for node in ast.walk(tree)
               if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    patterns = [pattern for tree in trees for node in ast.walk(tree)
                if isinstance(node, ast.JoinedStr)
                and any(isinstance(v, ast.Constant) and re.search("[a-z]", v.value)
                        for v in node.values)
                for _code, pattern in _codes_of(node)]
    return [code for code in codes if code not in strings
            and not any(p.fullmatch(code) for p in patterns)]


def test_every_catalogue_code_is_used():
    unused = _unused(CATALOGUE, _sources())
    assert not unused, f"catalogue codes nothing raises: {unused}"


def test_an_unused_code_is_found(tmp_path):
    source = tmp_path / "rules.py"
    source.write_text('raise SignInRefused("no_role")\nlabel = f"{kind}_{name}"\n'
                      'phrase = Problem(f"role_{role}")\n')
    assert _unused(["no_role", "no_roles", "role_agent", "sso_unknown_team"], [source]) == \
        ["no_roles", "sso_unknown_team"]


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_has_english_and_korean(code):
    korean = _korean()
    assert CATALOGUE[code].strip()
    assert korean.get(CATALOGUE[code]), f"{code}: no Korean for {CATALOGUE[code]!r}"
    assert set(PLACEHOLDER.findall(korean[CATALOGUE[code]])) == \
        set(PLACEHOLDER.findall(CATALOGUE[code]))


def test_every_site_supplies_its_template_params():
    missing = []
    for site in SITES:
        if site.params is None or site.code not in CATALOGUE:
            continue
        try:
            english(site.code, dict.fromkeys(site.params, "x"))
        except KeyError as error:
            missing.append(f"{site.where}: {site.code} lacks {error}")
    assert not missing, "\n".join(missing)


# The API's codes before refusals became catalogue codes: each must still be answered.
API_CONTRACT = {"missing_field", "uniqueness", "invalid_json", "invalid_field", "invalid_parameter",
                "invalid_link", "too_many_rows", "too_many_attempts", "since_too_old",
                "not_your_team", "no_draft", "no_approved_items", "mail_not_configured",
                "invalid_url", "invalid_rows", "invalid_idempotency_key", "invalid_events",
                "idempotency_key_reused", "idempotency_key_in_use", "id_mismatch",
                "first_version", "edit_conflict", "critical_fact_uncovered", "bulletin_exists",
                "attempt_in_progress", "already_certified", "admin_token_unconfirmed",
                "invalidValue"}


def test_the_api_keeps_its_codes():
    assert set(API_CODES.values()) >= API_CONTRACT


def test_api_codes_name_catalogue_codes():
    assert set(API_CODES) <= set(CATALOGUE)
    assert all(re.fullmatch(r"[a-z][a-zA-Z_]*", c) for c in API_CODES.values())


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_codes_are_snake_case(code):
    assert re.fullmatch(r"[a-z][a-z0-9_]*", code)


def test_render_fills_nested_phrases_lists_and_keeps_unknown_text():
    nested = Problem.of("field_expected", name="gate", expected=Problem.of(
        "expect_one_of", options=("deadline", "immediate")))
    assert nested.message == "gate: expected one of deadline, immediate"
    # the translation applies to the template (and to nested phrases), then the params fill
    shout = {"unknown field '%(key)s'": "UNKNOWN FIELD '%(key)s'"}
    assert render("field_unknown", {"key": "x"}, lambda t: shout.get(t, t)) == \
        "UNKNOWN FIELD 'x'"
    assert english("an English sentence from before the codes") == \
        "an English sentence from before the codes"
    with pytest.raises(KeyError):
        english("field_unknown", {})


@pytest.mark.parametrize("params", [{}, {"attempts": 8, "error": "HTTP 500"},
                                    {"attempts": 8, "error": "연결이 끊김 " * 80}])
def test_a_stored_problem_reads_back_and_fits_its_column(params):
    from app.domain.refusals import Problem

    stored = Problem.of("webhook_gave_up", **params).stored()
    assert len(stored) <= 300
    back = Problem.from_stored(stored)
    assert back.code == "webhook_gave_up" and set(back.params) == set(params)
    if len(str(params.get("error", ""))) < 100:
        assert back.params == {name: str(value) for name, value in params.items()}
    assert Problem.from_stored("the receiver answered 410 Gone on 2025-01-01") is None
    assert Problem.from_stored('{"code" broken') is None
