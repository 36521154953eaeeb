"""CSV cells a spreadsheet cannot run as formulas (OWASP "CSV Injection"), as a table."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from app.domain.csv_safety import safe_cell, write_csv


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"),
    ('=HYPERLINK("http://x.example","go")', '\'=HYPERLINK("http://x.example","go")'),
    ("+82 2 100", "'+82 2 100"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("-5", "'-5"),  # text that looks like a number is still text: neutralised
    ("WiBro ID and password", "WiBro ID and password"),
    ("와이브로 ID", "와이브로 ID"),
    ("a=b", "a=b"),  # only the first character matters
    (" =1+1", " =1+1"),
    ("'quoted", "'quoted"),
    ("", ""),
    (None, ""),
    (True, "true"),
    (False, "false"),
    (0, "0"),
    (42, "42"),
    (-12.5, "-12.5"),  # a negative number stays a number
    (64.55, "64.55"),
    (Decimal("-0.25"), "-0.25"),
    (float("-inf"), "'-inf"),  # not a finite number: treated as text
    (float("nan"), "nan"),
], ids=lambda v: repr(v)[:24])
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


def test_write_csv_neutralises_every_cell_and_quotes_as_rfc_4180():
    rows = [["f-login-1", "=cmd", -3.5, None], ["f-plan-1", 'say "hi", then', 12, True]]
    text = write_csv(rows, ["item", "stem", "discrimination", "flag"])
    assert text == ('item,stem,discrimination,flag\r\n'
                    "f-login-1,'=cmd,-3.5,\r\n"
                    'f-plan-1,"say ""hi"", then",12,true\r\n')
    assert list(csv.reader(io.StringIO(text)))[2][1] == 'say "hi", then'


def test_write_csv_neutralises_the_header_too():
    assert write_csv([], ["=evil", "ok"]) == "'=evil,ok\r\n"


def test_write_csv_accepts_mappings_in_header_order():
    rows = [{"b": "-x", "a": 1, "ignored": "=no"}]
    assert write_csv(rows, ["a", "b"]) == "a,b\r\n1,'-x\r\n"


def test_write_csv_keeps_line_breaks_inside_a_cell():
    text = write_csv([["line one\nline two"]], ["note"])
    assert list(csv.reader(io.StringIO(text))) == [["note"], ["line one\nline two"]]


@pytest.mark.parametrize(("rows", "error", "message"), [
    ([["a", "b", "c"]], ValueError, "row 1 has 3 cells; the header has 2 columns"),
    ([["a", "b"], ["a"]], ValueError, "row 2 has 1 cell; the header has 2 columns"),
    ([{"a": 1}], ValueError, "row 1 has no value for column 'b'"),
    (["ab"], TypeError, "row 1 is a string, not a sequence of cells"),
], ids=["too-many", "too-few", "mapping-missing", "string-row"])
def test_write_csv_names_the_bad_row(rows, error, message):
    with pytest.raises(error) as raised:
        write_csv(rows, ["a", "b"])
    assert str(raised.value) == message
