"""CSV files that a spreadsheet opens as data, never as formulas (CSV / formula injection).

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be
run as a formula by Excel, LibreOffice or Google Sheets; such text gets a single leading
quote (OWASP "CSV Injection"). Numbers stay numbers: a finite ``int``, ``float`` or
``Decimal`` is written as is, so a negative discrimination index is still a number.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula."""


def safe_cell(value) -> str:
    """The text of one cell: None is empty, booleans are true/false, finite numbers as is,
    anything else as text with a ``'`` prefix when it starts with a formula trigger."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)) and math.isfinite(value):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def write_csv(rows: Iterable[Sequence | Mapping], header: Sequence[str]) -> str:
    """RFC 4180 CSV text (CRLF line ends): the header, then every row, each cell made safe.

    A row is a sequence of cells in header order, or a mapping from header names to cells.
    ValueError (TypeError for a bare string) names the row (1 = first after the header)
    whose shape does not fit the header.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    for number, row in enumerate(rows, 1):
        writer.writerow([safe_cell(value) for value in _cells(row, header, number)])
    return buffer.getvalue()


def _cells(row, header: Sequence[str], number: int) -> list:
    if isinstance(row, Mapping):
        missing = [name for name in header if name not in row]
        if missing:
            raise ValueError(f"row {number} has no value for column '{missing[0]}'")
        return [row[name] for name in header]
    if isinstance(row, (str, bytes)):
        raise TypeError(f"row {number} is a string, not a sequence of cells")
    if len(row) != len(header):
        cells = f"{len(row)} cell" + ("" if len(row) == 1 else "s")
        raise ValueError(f"row {number} has {cells}; the header has {len(header)} columns")
    return list(row)
