"""CSV downloads of the manager views, safe to open in a spreadsheet."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Response

from ..domain.csv_safety import write_csv

BOM = "\ufeff"  # so spreadsheet programs read the UTF-8 (Korean names) correctly


def csv_response(rows, header: list[str], filename: str) -> Response:
    """A CSV attachment; every cell goes through ``safe_cell`` (no formula injection)."""
    response = Response(BOM + write_csv(rows, header), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response


def iso(value: datetime | None) -> str:
    """A UTC instant as ISO 8601 text, or empty."""
    return value.isoformat() if value else ""
