"""Small text helpers shared by the schema, member lookup and readers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_SPACE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """NFC, invisible characters removed, runs of white space folded, stripped. Keeps case and accents."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACE.sub(" ", text).strip()


_TRAILING = re.compile(r"[\s.:;]+$")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-, accent- and space-insensitive key: 'No  Aplica ' and 'no aplica' fold alike; 'Sí' → 'si'.
    Idempotent: fold(fold(x)) == fold(x) (a Hypothesis property test checks it)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text.translate(_INVISIBLE)).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _SPACE.sub(" ", text).strip()
    return _TRAILING.sub("", text)


def squash(text: str) -> str:
    """fold() without spaces or punctuation: 'EE. UU.' → 'eeuu'."""
    return "".join(c for c in fold(text) if c.isalnum())


def defuse_formula(value: str) -> str:
    """Country text bound for a spreadsheet cell or CSV: a leading = + - @ gets a ' so it can never run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def long_date(value: Any, lang: str) -> str:
    """'21 de julio de 2017' / 'July 21, 2017' / '21 juillet 2017' (CLDR, via babel)."""
    from babel.dates import format_date

    return format_date(value, format="long", locale=lang)
