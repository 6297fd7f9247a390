from __future__ import annotations

import pytest

from rcmmatrix.members import country_name, default_members, lookup_country


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("mexico", "MEX"),
        ("México", "MEX"),
        ("MX", "MEX"),
        ("mex", "MEX"),
        ("Estados Unidos", "USA"),
        ("EE. UU.", "USA"),
        ("United States", "USA"),
        ("États-Unis", "USA"),
        ("Belice", "BLZ"),
        ("republica dominicana", "DOM"),
        ("République dominicaine", "DOM"),
        ("PANAMÁ", "PAN"),
        ("Colombia", "COL"),
        ("Narnia", None),
        ("", None),
    ],
)
def test_lookup_country(text: str, iso3: str | None) -> None:
    assert lookup_country(text) == iso3


def test_roster_names_come_from_cldr() -> None:
    members = default_members()
    assert len(members) == 11
    names = {m.iso3: m.name("es") for m in members}
    assert names["MEX"] == "México" and names["DOM"] == "República Dominicana" and names["BLZ"] == "Belice"
    langs = {m.iso3: m.languages for m in members}
    assert langs["CAN"] == ("en", "fr") and langs["USA"] == ("en",) and langs["GTM"] == ("es",)
    assert country_name("CAN", "fr") == "Canada"
