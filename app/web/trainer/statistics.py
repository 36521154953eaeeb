"""Trainers: item statistics of a bulletin's quiz (which items are bad), as a page and CSV."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.core.security import allow
from app.domain.csv_safety import write_csv
from app.domain.item_analysis import MIN_DISTRACTOR_SHARE, MIN_EFFICIENCY, MIN_SAMPLE
from app.errors import localized
from app.queries.item_stats import item_report
from app.web.trainer import TRAINERS, bp


def flag_text(flag: dict, item: dict | None = None, attempts: int | None = None) -> str:
    """A flag (of ``item``) or a warning (of a report on ``attempts`` attempts) as the trainer
    reads it: translated where the page knows the code, the API's message otherwise."""
    code = flag["code"]
    if item is None:
        return _warning_text(flag, attempts)
    if code == "negative_discrimination":
        return _("Negative discrimination: agents who did better on the rest of the quiz got "
                 "this item wrong more often. Check the key and the wording.")
    if code == "low_efficiency":
        return _("Low discriminative efficiency (under %(limit)s %%): the item separates "
                 "stronger from weaker agents poorly.", limit=f"{MIN_EFFICIENCY:g}")
    if code == "weak_distractor":
        option = next((o for o in (item or {}).get("options", ())
                       if o["id"] == flag["option"]), None)
        return _("Wrong option chosen by under %(limit)s %% of agents, so it does not "
                 "distract: “%(option)s”", limit=f"{100 * MIN_DISTRACTOR_SHARE:g}",
                 option=option["text"] if option else flag["option"])
    if code == "small_sample":
        return _("Only %(n)d attempts asked this item: at least %(min)d are needed to judge it.",
                 n=item["n"], min=MIN_SAMPLE)
    return flag["message"]


def _warning_text(flag: dict, attempts: int | None) -> str:
    code = flag["code"]
    if code == "small_sample" and attempts is not None:
        return _("Only %(n)d attempts: at least %(min)d are needed before these statistics "
                 "can be trusted.", n=attempts, min=MIN_SAMPLE)
    if code == "no_attempts":
        return _("No graded attempt to analyse yet.")
    if code == "team_scope":
        return localized("team_scope", {"teams": [t.code for t in current_user.managed]
                                        or localized("teams_none")})
    if code == "all_attempts":
        return _("Retakes are included and counted as independent attempts; later attempts "
                 "build on earlier ones, which biases these statistics.")
    return flag["message"]


def _report(slug: str) -> tuple[dict, str]:
    which = request.args.get("attempts", "first")
    return item_report(current_user, slug, which), which


@bp.get("/bulletins/<slug>/statistics")
@allow(*TRAINERS)
def item_statistics(slug: str):
    """Facility, discrimination, efficiency and option shares per item, with flags in text."""
    report, which = _report(slug)
    return render_template("trainer/statistics.html", report=report, which=which,
                           flag_text=flag_text)


CSV_HEADER = ["item", "fact", "kind", "status", "stem", "n", "facility_pct", "sd_pct",
              "discrimination_pct", "efficiency_pct", "unanswered_pct", "options", "flags"]


def _option_cell(option: dict) -> str:
    share = "" if option["share"] is None else f" {100 * option['share']:.1f}%"
    label = "correct" if option["correct"] else (option["source"] or "wrong")
    return f"{option['text']} [{label}]{share}"


def csv_rows(report: dict) -> list[list]:
    """The page's item table as CSV rows (one per item, in the order of CSV_HEADER)."""
    return [[item["id"], item["fact"], item["kind"], item["status"], item["stem"], item["n"],
             item["facility"], item["sd"], item["discrimination"], item["efficiency"],
             None if item["unanswered"] is None else round(100 * item["unanswered"], 2),
             "; ".join(_option_cell(o) for o in item["options"]),
             " | ".join(flag_text(f, item) for f in item["flags"])]
            for item in report["items"]]


@bp.get("/bulletins/<slug>/statistics.csv")
@allow(*TRAINERS)
def item_statistics_csv(slug: str):
    """The same table as CSV, every cell safe to open in a spreadsheet (UTF-8 with a BOM)."""
    report, which = _report(slug)
    text = write_csv(csv_rows(report), CSV_HEADER)
    name = f"{report['bulletin']}-v{report['version']}-item-statistics-{which}.csv"
    return "\ufeff" + text, 200, {"Content-Type": "text/csv; charset=utf-8",
                                   "Content-Disposition": f'attachment; filename="{name}"'}
