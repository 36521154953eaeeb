"""Item statistics (item analysis) of a bulletin's quiz as JSON."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp
from app.api.openapi.document import describe, op
from app.api.schemas import BOOL, INT, NUM, STR, arr, component, null, obj, strict
from app.core.security import allow
from app.errors import ServiceError
from app.queries.item_stats import item_report

_PCT = {"type": ["number", "null"]}
_FLAG = strict(code=STR, message=STR, option=null(INT))
_REPORT = component("ItemStatistics", obj(
    ["bulletin", "version", "attempts", "quiz", "items", "warnings"], bulletin=STR,
    version=INT, title=STR, attempts=INT,
    quiz=strict(mean=_PCT, median=_PCT, sd=_PCT, alpha=_PCT),
    items=arr(obj(["id", "fact", "stem", "kind", "n", "options", "flags"], id=STR, fact=STR,
                  fact_label=STR, stem=STR, kind=STR, status=STR, n=INT, facility=_PCT,
                  sd=_PCT, discrimination=_PCT, efficiency=_PCT, unanswered=_PCT,
                  options=arr(obj(["id", "text", "correct", "share"], id=INT, text=STR,
                                  correct=BOOL, source=null(STR), share=null(NUM))),
                  flags=arr(_FLAG))),
    warnings=arr(_FLAG)))


@bp.get("/reports/items")
@allow("manager", "trainer", "admin", api=True)
def item_statistics_report():
    """Facility, discrimination, efficiency and option shares per item, with flags."""
    slug = request.args.get("bulletin", "").strip()
    if not slug:
        raise ServiceError("bulletin_required", field="bulletin")
    return jsonify(item_report(g.api_user, slug, request.args.get("attempts", "first")))


def _description() -> dict:
    operation = op(
        "Item statistics of a bulletin's newest published version (Moodle-style item analysis)",
        "manager (only attempts by agents of their teams), trainer, admin",
        query=["bulletin", "attempts"], response=_REPORT, errors=(400, 401, 403, 404))
    bulletin, attempts = operation["parameters"]
    bulletin.update(required=True, description="The bulletin's slug.",
                    example="wibro50-wifi-login")
    attempts.update(schema={"enum": ["first", "all"], "default": "first"}, description=(
        "first: each agent's first graded attempt (default); all: every graded attempt."))
    operation["description"] += (
        " Returns {bulletin, version, attempts, quiz: {mean, median, sd, alpha}, items: [{id, "
        "fact, stem, kind, n, facility, sd, discrimination, efficiency, options: [{id, text, "
        "correct, source, share}], flags: [{code, message, option}]}], warnings: [...]}. "
        "facility, sd, discrimination, efficiency, mean, median and quiz sd are percent; "
        "share is 0..1; alpha is Cronbach's coefficient (0..1). See docs/item-analysis.md.")
    return {"/reports/items": {"get": operation}}


describe(_description())
