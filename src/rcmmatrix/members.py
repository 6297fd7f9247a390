"""Member countries: the RCM roster, names in es/en/fr from CLDR (babel), and a forgiving country lookup."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .text import squash

# The eleven RCM members (ISO 3166-1 alpha-3) with their working languages (shared/domain/REFERENCE.md §1.1).
RCM_ROSTER: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("BLZ", ("en",)),
    ("CAN", ("en", "fr")),
    ("CRI", ("es",)),
    ("DOM", ("es",)),
    ("SLV", ("es",)),
    ("GTM", ("es",)),
    ("HND", ("es",)),
    ("MEX", ("es",)),
    ("NIC", ("es",)),
    ("PAN", ("es",)),
    ("USA", ("en",)),
)

# Common spellings that CLDR does not list (abbreviations seen in the region's correspondence).
EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "USA": ("EE. UU.", "EEUU", "EUA", "Estados Unidos de América", "United States of America", "U.S.A."),
    "DOM": ("Rep. Dominicana", "RD", "Dominicana"),
    "MEX": ("Méjico", "Estados Unidos Mexicanos"),
}


@dataclass(frozen=True, slots=True)
class FocalPoint:
    name: str = ""
    email: str = ""
    institution: str = ""


@dataclass(frozen=True, slots=True)
class Member:
    iso3: str
    languages: tuple[str, ...] = ("es",)
    focal_point: FocalPoint = field(default_factory=FocalPoint)

    @property
    def iso2(self) -> str:
        return iso3_to_iso2(self.iso3)

    @property
    def language(self) -> str:
        return self.languages[0]

    def name(self, lang: str = "en") -> str:
        return country_name(self.iso3, lang)

    def to_dict(self) -> dict[str, Any]:
        fp = self.focal_point
        return {
            "iso3": self.iso3,
            "iso2": self.iso2,
            **{f"name_{x}": self.name(x) for x in ("es", "en", "fr")},
            "languages": list(self.languages),
            "focal_point": {"name": fp.name, "email": fp.email, "institution": fp.institution},
        }


def default_members() -> tuple[Member, ...]:
    return tuple(Member(iso3=code, languages=langs) for code, langs in RCM_ROSTER)


@cache
def _alpha3_to_alpha2() -> dict[str, str]:
    from babel.core import get_global

    out: dict[str, str] = {}
    for alias, targets in get_global("territory_aliases").items():
        if len(alias) == 3 and alias.isalpha() and targets and len(targets[0]) == 2:
            out.setdefault(alias.upper(), targets[0])
    return out


def iso3_to_iso2(iso3: str) -> str:
    return _alpha3_to_alpha2().get(iso3.upper(), "")


@cache
def country_name(iso3: str, lang: str = "en") -> str:
    """The country's name in ``lang`` from CLDR; the code itself when CLDR has none."""
    from babel import Locale

    iso2 = iso3_to_iso2(iso3)
    try:
        return Locale.parse(lang).territories.get(iso2, iso3) if iso2 else iso3
    except (ValueError, LookupError):
        return Locale("en").territories.get(iso2, iso3)


@cache
def _lookup_table() -> dict[str, str]:
    """squashed spelling → ISO3, for every CLDR territory that has an ISO3 code, in es, en and fr."""
    from babel import Locale

    a3_to_a2 = _alpha3_to_alpha2()
    a2_to_a3 = {a2: a3 for a3, a2 in a3_to_a2.items()}
    table: dict[str, str] = {}
    for lang in ("en", "es", "fr"):
        for a2, name in Locale(lang).territories.items():
            if a2 in a2_to_a3:
                table.setdefault(squash(name), a2_to_a3[a2])
    for a3, names in EXTRA_NAMES.items():
        for name in names:
            table[squash(name)] = a3
    return table


def lookup_country(text: str) -> str | None:
    """ISO3 code for an ISO3 or ISO2 code or a name in es/en/fr (case- and accent-insensitive), else None."""
    raw = text.strip()
    if not raw:
        return None
    a3_to_a2 = _alpha3_to_alpha2()
    upper = raw.upper()
    if len(upper) == 3 and upper in a3_to_a2:
        return upper
    if len(upper) == 2 and upper.isalpha():
        for a3, a2 in a3_to_a2.items():
            if a2 == upper:
                return a3
    return _lookup_table().get(squash(raw))
