"""The derived tables are kept by ``create_app`` (``app.derived.init_app``), never by an import.

Each check runs in a fresh interpreter, so nothing the rest of the suite imported first can
switch the upkeep on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

IMPORTS_ONLY = """
import json, sys
from app.derived.upkeep import kept
import app.derived.aggregates, app.derived.eligibility_documents
import app.services.certification.eligibility, app.queries.reports, app.worker
print(json.dumps(sorted(kept())))
"""

AFTER_CREATE_APP = """
import json, sys
from sqlalchemy import func, select
from app import create_app
from app.core.database import unit_of_work
from app.core.extensions import db
from app.derived.upkeep import kept
from app.models.eligibility import eligibility_documents
from app.services.accounts.accounts import create_user

before = sorted(kept())
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sys.argv[1],
                  "SECRET_KEY": "test-secret", "ONEVOICE_PASSWORD_HASH": "fast-for-tests"})
with app.app_context():
    with unit_of_work():
        create_user(email="fresh@example.com", name="Fresh", role="agent",
                    external_id="FRESH1", password="a long enough password")
    documents = db.session.scalar(select(func.count()).select_from(eligibility_documents))
print(json.dumps({"before": before, "after": sorted(kept()), "documents": documents,
                  "extension": list(app.extensions["onevoice_derived"])}))
"""


def _run(code: str, *args: str) -> dict | list:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_derived_modules_and_their_readers_registers_nothing():
    assert _run(IMPORTS_ONLY) == []


def test_create_app_registers_the_upkeep_and_a_commit_writes_the_document(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    result = _run(AFTER_CREATE_APP, url)
    assert result["before"] == []
    assert result["after"] == ["aggregates", "documents"]
    assert result["extension"] == ["aggregates", "documents"]
    assert result["documents"] == 1  # the new agent's document, written by the upkeep
