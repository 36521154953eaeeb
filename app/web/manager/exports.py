"""CSV downloads of the manager views, safe to open in a spreadsheet."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Response, current_app

from app.domain.csv_safety import write_csv
from app.domain.gating import local_iso

BOM = "\ufeff"  # so spreadsheet programs read the UTF-8 (Korean names) correctly


def csv_response(rows, header: list[str], filename: str) -> Response:
    """A CSV attachment; every cell goes through ``safe_cell`` (no formula injection)."""
    response = Response(BOM + write_csv(rows, header), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response


def iso(value: datetime | None) -> str:
    """An instant as ISO 8601 text in the organisation's time zone with its offset
    (``2010-08-30T00:00:00+09:00``), the clock of the board; empty for None (docs/reports.md).
    """
    return local_iso(value, current_app.config["ONEVOICE_TIMEZONE"])
