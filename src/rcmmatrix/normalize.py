"""Turning what a country typed into a typed value, driven by the schema's vocabularies.

Each parser returns a :class:`Parsed`: the value (or None), whether it differs from what was typed in a way the
country should be told about (``changed``), and an error kind when it cannot be read. Nothing here raises on bad
input: Hypothesis tests feed it arbitrary text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from .schema import Vocabulary
from .text import clean

EXCEL_EPOCH = dt.date(1899, 12, 30)
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_UNIT_SUFFIX = re.compile(r"^([+-]?[\d.,\s\u00a0\u202f']*\d)\s*([^\W\d_].*)$")  # '18 años', '5 years'
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")


@dataclass(frozen=True, slots=True)
class Parsed:
    value: Any = None
    changed: bool = False
    error: str | None = None  # "bad-value" / "out-of-range" kinds are decided by the caller


def is_blank(raw: Any) -> bool:
    if raw is None or raw == "":
        return True
    return raw.__class__ is str and not clean(raw)


def as_text(raw: Any) -> str:
    """How a cell reads to a person, for messages and the 'raw' column."""
    if raw.__class__ is str:
        return raw
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.isoformat(sep=" ") if raw.time() != dt.time() else raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw)


def parse_term(raw: Any, vocabulary: Vocabulary) -> Parsed:
    if isinstance(raw, bool) and "yes" in vocabulary.ids():
        return Parsed("yes" if raw else "no", changed=True)
    found, exact = vocabulary.match(as_text(raw))
    if found is None:
        return Parsed(error="bad-value")
    return Parsed(found, changed=not exact)


def parse_number(raw: Any, integer: bool = False) -> Parsed:
    """Numbers in either convention: 1.234,5 / 1,234.5 / 1 234 / "18 años" (unit dropped, flagged as changed)."""
    if isinstance(raw, bool):
        return Parsed(error="bad-value")
    if isinstance(raw, int | float):
        value = float(raw)
        if not math.isfinite(value):
            return Parsed(error="bad-value")
        if integer:
            return Parsed(int(value)) if value.is_integer() else Parsed(error="bad-value")
        return Parsed(value)
    if not isinstance(raw, str):
        return Parsed(error="bad-value")
    text = clean(raw)
    changed = False
    m = _UNIT_SUFFIX.match(text)
    if m and not _NUMBER.match(text):
        text, changed = m.group(1), True
    compact = re.sub(r"[\s\u00a0\u202f']", "", text)
    if compact != text:
        changed = True
    if integer and re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", compact):
        compact = compact.replace(".", "")  # 1.282 as a count is one thousand two hundred and eighty-two
        changed = True
    value = _number_from(compact)
    if value is None:
        return Parsed(error="bad-value")
    canonical = _NUMBER.match(compact) is not None
    changed = changed or not canonical
    if integer:
        if not value.is_integer():
            return Parsed(error="bad-value")
        return Parsed(int(value), changed)
    return Parsed(value, changed)


def _number_from(text: str) -> float | None:
    if not text or not re.fullmatch(r"[+-]?[\d.,]+", text) or not re.search(r"\d", text):
        return None
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    if "," in body and "." in body:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        body = body.replace(thousands, "").replace(decimal, ".")
    elif "," in body:
        parts = body.split(",")
        if len(parts) > 2 or (len(parts[1]) == 3 and parts[0] not in ("", "0")):
            body = body.replace(",", "")  # thousands: 1,282 / 1,234,567
        else:
            body = body.replace(",", ".")  # decimal comma: 8,5
    elif body.count(".") > 1:
        body = body.replace(".", "")  # 1.234.567
    try:
        value = float(body)
    except ValueError:
        return None
    return sign * value if math.isfinite(value) else None


def parse_date(raw: Any) -> Parsed:
    """Excel dates, ISO text, dd/mm/yyyy text, and Excel serial numbers."""
    if isinstance(raw, dt.datetime):
        return Parsed(raw.date())
    if isinstance(raw, dt.date):
        return Parsed(raw)
    if isinstance(raw, bool):
        return Parsed(error="bad-value")
    if isinstance(raw, int | float):
        if 1 <= raw < 2958466 and float(raw).is_integer():
            return Parsed(EXCEL_EPOCH + dt.timedelta(days=int(raw)), changed=True)
        return Parsed(error="bad-value")
    if not isinstance(raw, str):
        return Parsed(error="bad-value")
    text = clean(raw)
    m = _ISO.match(text)
    try:
        if m:
            value = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return Parsed(value, changed=value.isoformat() != text)
        m = _DMY.match(text)
        if m:
            return Parsed(dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))), changed=True)
    except ValueError:
        return Parsed(error="bad-value")
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return parse_date(float(text))
    return Parsed(error="bad-value")


def parse_text(raw: Any) -> Parsed:
    text = as_text(raw)
    cleaned = clean(text) if "\n" not in text else "\n".join(clean(line) for line in text.splitlines()).strip()
    return Parsed(cleaned, changed=False)
