"""Amounts as typed RDF literals, not entity nodes.

A mention of a date, time, number, ordinal, percentage, sum of money or quantity is the value of a
statement, never a node shared by every document that writes "25" or "1998". Its text is read into
an XSD value where that is unambiguous (:func:`literal_value`):

============  ===============================  ==========================================
NER label     text                             literal
============  ===============================  ==========================================
DATE          "13 March 1963", "March 13, 1963" "1963-03-13"^^xsd:date
DATE          "March 1963"                     "1963-03"^^xsd:gYearMonth
DATE          "1963", "in 1963"                "1963"^^xsd:gYear
TIME          "10:30", "10:30 pm"              "10:30:00"^^xsd:time / "22:30:00"^^xsd:time
CARDINAL      "25", "2.8 million", "two"       "25"^^xsd:integer, "2800000"^^xsd:decimal, "2"
ORDINAL       "third", "3rd"                   "3"^^xsd:integer
PERCENT       "25%", "25 percent"              "0.25"^^xsd:decimal (a fraction)
MONEY / QUANTITY, and anything not read       the text as a plain string literal
============  ===============================  ==========================================

Money and quantities keep their text ("$5 million", "2000 metres") because a number without its
unit or currency would state less than the sentence does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rdflib.namespace import XSD

MONTHS = {m: i + 1 for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
NUMBER_WORDS = {w: i for i, w in enumerate(
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
     "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
     "nineteen", "twenty"))}
ORDINAL_WORDS = {w: i + 1 for i, w in enumerate(
    ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
     "tenth", "eleventh", "twelfth"))}
SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}

_NUM = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
_DMY = re.compile(r"^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?\s+(\d{3,4})$")
_MDY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{3,4})$")
_MY = re.compile(r"^([a-z]+)\.?,?\s+(\d{3,4})$")
_Y = re.compile(r"^(?:in\s+|the\s+year\s+)?(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?$")
_CARD = re.compile(rf"^(?:about\s+|some\s+|around\s+|over\s+|nearly\s+)?{_NUM}(?:\s+([a-z]+))?$")
_PERCENT = re.compile(rf"^{_NUM}\s*(?:%|percent|per\s+cent)$")
_ORD = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


@dataclass(frozen=True)
class LiteralValue:
    """An amount read from text: its surface ``text``, the NER ``label``, the XSD ``datatype``
    IRI (None: a plain string) and the ``value`` in that datatype's lexical form."""

    text: str
    label: str | None
    value: str
    datatype: str | None
    start: int = 0
    end: int = 0


def literal_value(text: str, label: str | None) -> tuple[str, str | None]:
    """(lexical value, XSD datatype IRI or None) of an amount's text (see the module table)."""
    t = " ".join(text.casefold().split())
    if label in ("DATE", None):
        d = _date(t)
        if d is not None:
            return d
    if label == "TIME":
        m = _TIME.match(t)
        if m and (m.group(2) or m.group(3)):
            h, mi = int(m.group(1)), int(m.group(2) or 0)
            if m.group(3) and m.group(3)[0] == "p" and h < 12:
                h += 12
            if m.group(3) and m.group(3)[0] == "a" and h == 12:
                h = 0
            if h < 24 and mi < 60:
                return f"{h:02d}:{mi:02d}:00", str(XSD.time)
    if label == "PERCENT":
        m = _PERCENT.match(t)
        if m:
            n = _decimal(m.group(1), m.group(2))
            return _fmt(n / 100), str(XSD.decimal)
    if label == "ORDINAL":
        if t in ORDINAL_WORDS:
            return str(ORDINAL_WORDS[t]), str(XSD.integer)
        m = _ORD.match(t)
        if m:
            return m.group(1), str(XSD.integer)
    if label in ("CARDINAL", None):
        if t in NUMBER_WORDS:
            return str(NUMBER_WORDS[t]), str(XSD.integer)
        m = _CARD.match(t)
        if m and (m.group(3) is None or m.group(3) in SCALES):
            n = _decimal(m.group(1), m.group(2)) * SCALES.get(m.group(3) or "", 1)
            integral = n == int(n)
            return (str(int(n)) if integral else _fmt(n)), str(XSD.integer if integral and not m.group(2)
                                                          and not m.group(3) else XSD.decimal)
    return " ".join(text.split()), None


def _date(t: str) -> tuple[str, str] | None:
    for rx, order in ((_DMY, "dmy"), (_MDY, "mdy")):
        m = rx.match(t)
        if m:
            a, b, y = m.groups()
            day, month = (a, b) if order == "dmy" else (b, a)
            mo = MONTHS.get(month)
            try:
                return date(int(y), mo, int(day)).isoformat(), str(XSD.date)
            except (TypeError, ValueError):
                return None
    m = _ISO.match(t)
    if m:
        try:
            return date(*map(int, m.groups())).isoformat(), str(XSD.date)
        except ValueError:
            return None
    m = _MY.match(t)
    if m and m.group(1) in MONTHS:
        return f"{int(m.group(2)):04d}-{MONTHS[m.group(1)]:02d}", str(XSD.gYearMonth)
    m = _Y.match(t)
    if m and 1000 <= int(m.group(1)) <= 2100:
        return m.group(1), str(XSD.gYear)
    return None


def _decimal(whole: str, frac: str | None) -> float:
    return float(whole.replace(",", "") + ("." + frac if frac else ""))


def _fmt(n: float) -> str:
    s = f"{n:.10f}".rstrip("0").rstrip(".")
    return s or "0"
