"""Derived tables kept exact in the transaction that changes their sources.

The report aggregates (``aggregates``, rebuilt from scratch by ``aggregates_rebuild``) and the
served eligibility documents (``eligibility_documents``) are kept by listeners on the
Session (``upkeep``); the weekly trend snapshots lose the weeks a late change reaches
(``trend_snapshots``). ``create_app`` registers them by calling :func:`init_app`; importing
a module of this package registers nothing.
"""

from __future__ import annotations

from flask import Flask

from app.derived import aggregates, eligibility_documents, trend_snapshots
from app.derived.upkeep import keep_up

UPKEEPS = (aggregates.UPKEEP, eligibility_documents.UPKEEP)


def init_app(app: Flask) -> None:
    """Keep every derived table set up to date on each commit, from now on.

    The listeners are process-wide (SQLAlchemy's Session class): the first app of a process
    registers them, later apps find them registered (``keep_up`` is idempotent).
    """
    for upkeep in UPKEEPS:
        keep_up(upkeep)
    trend_snapshots.keep_up()  # after the aggregates: it applies what their upkeep notes
    app.extensions["onevoice_derived"] = tuple(upkeep.name for upkeep in UPKEEPS)
