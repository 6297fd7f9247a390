"""Who owes what for a round: one status per member × matrix/dataset, reporting rates, and what is missing.

Statuses: not_received, rejected (with its error count), incomplete (accepted, required indicators unanswered),
late (accepted after the member's deadline), on_time, extension (not received, extended deadline not passed).
This path runs a few SQL queries and never imports pandas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from .store import Store
from .workspace import Round, Workspace

GAP_COLUMNS = ["country", "matrix", "status", "deadline", "days", "received", "missing / errors"]
RATE_COLUMNS = ["matrix", "expected", "received", "accepted", "on time"]
STATUSES = ("on_time", "late", "incomplete", "rejected", "extension", "not_received")
OWED = ("incomplete", "rejected", "extension", "not_received")

STATUS_LABELS = {
    "es": {
        "on_time": "a tiempo",
        "late": "tardío",
        "incomplete": "incompleto",
        "rejected": "recibido, rechazado",
        "extension": "prórroga concedida",
        "not_received": "no recibido",
    },
    "en": {
        "on_time": "on time",
        "late": "late",
        "incomplete": "incomplete",
        "rejected": "received, rejected",
        "extension": "extension granted",
        "not_received": "not received",
    },
    "fr": {
        "on_time": "à temps",
        "late": "en retard",
        "incomplete": "incomplet",
        "rejected": "reçu, rejeté",
        "extension": "délai prolongé",
        "not_received": "non reçu",
    },
}


@dataclass(slots=True)
class Gap:
    country: str
    dataset: str
    status: str
    deadline: dt.date
    days_left: int  # days to the member's deadline as of the report date; negative when past
    received_at: dt.datetime | None = None
    late: bool = False
    errors: int = 0
    missing: list[str] = field(default_factory=list)  # indicator ids (statistics: "id:year")
    extension_until: dt.date | None = None
    file_name: str | None = None

    @property
    def owed(self) -> bool:
        return self.status in OWED

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "dataset": self.dataset,
            "status": self.status,
            "owed": self.owed,
            "deadline": self.deadline.isoformat(),
            "days_left": self.days_left,
            "received_at": self.received_at.isoformat() if self.received_at else None,
            "late": self.late,
            "errors": self.errors,
            "missing": self.missing,
            "extension_until": self.extension_until.isoformat() if self.extension_until else None,
            "file": self.file_name,
        }


@dataclass(slots=True)
class Rate:
    dataset: str
    expected: int = 0
    received: int = 0
    accepted: int = 0
    on_time: int = 0

    def pct(self, n: int) -> float:
        return round(100.0 * n / self.expected, 1) if self.expected else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "expected": self.expected,
            "received": self.received,
            "accepted": self.accepted,
            "on_time": self.on_time,
            "received_pct": self.pct(self.received),
            "accepted_pct": self.pct(self.accepted),
            "on_time_pct": self.pct(self.on_time),
        }


@dataclass(slots=True)
class GapReport:
    round: Round
    as_of: dt.date
    gaps: list[Gap]
    rates: list[Rate]

    @property
    def owed(self) -> list[Gap]:
        return [g for g in self.gaps if g.owed]

    def table_rows(self, lang: str) -> list[list[Any]]:
        """Rows for GAP_COLUMNS, statuses in ``lang``; at most six missing indicators spelled out per row."""
        labels = STATUS_LABELS.get(lang, STATUS_LABELS["en"])
        rows = []
        for g in self.gaps:
            status = labels[g.status] + (f" ({labels['late']})" if g.late and g.status == "incomplete" else "")
            missing = ", ".join(g.missing[:6]) + (f" … (+{len(g.missing) - 6})" if len(g.missing) > 6 else "")
            received = g.received_at.date().isoformat() if g.received_at else ""
            rows.append(
                [
                    g.country,
                    g.dataset,
                    status,
                    g.deadline.isoformat(),
                    g.days_left,
                    received,
                    missing or (str(g.errors) if g.errors else ""),
                ]
            )
        return rows

    def rate_rows(self) -> list[list[Any]]:
        return [
            [r.dataset, r.expected, *(f"{n} ({r.pct(n)}%)" for n in (r.received, r.accepted, r.on_time))]
            for r in self.rates
        ]

    def write_csv(self, out: TextIO) -> None:
        import csv

        writer = csv.writer(out)
        writer.writerow(
            [
                "round",
                "country",
                "dataset",
                "status",
                "deadline",
                "days_left",
                "received_at",
                "late",
                "errors",
                "missing",
            ]
        )
        for g in self.gaps:
            writer.writerow(
                [
                    self.round.name,
                    g.country,
                    g.dataset,
                    g.status,
                    g.deadline.isoformat(),
                    g.days_left,
                    g.received_at.isoformat() if g.received_at else "",
                    int(g.late),
                    g.errors,
                    " ".join(g.missing),
                ]
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round.name,
            "deadline": self.round.deadline.isoformat(),
            "as_of": self.as_of.isoformat(),
            "gaps": [g.to_dict() for g in self.gaps],
            "rates": [r.to_dict() for r in self.rates],
        }


def find_gaps(
    ws: Workspace, round_name: str | None = None, as_of: dt.date | None = None, datasets: Sequence[str] | None = None
) -> GapReport:
    rnd = ws.round(round_name)
    as_of = as_of or dt.date.today()
    schema = ws.schema
    wanted = list(datasets) if datasets else list(schema.dataset_ids)
    for ds in wanted:
        if ds not in schema.dataset_ids:
            schema.matrix(ds)  # raises SchemaError naming the known matrices
    gaps: list[Gap] = []
    with Store.open(ws.db_path) as store:
        subs = store.submissions(round=rnd.name)
        answered = {ds: store.answered(rnd.name, ds) for ds in wanted if ds in schema.matrix_ids}
        stat_years = store.statistics_years(rnd.name) if schema.statistics and schema.statistics.id in wanted else {}
    for member in ws.members:
        deadline = rnd.deadline_for(member.iso3)
        extension = rnd.extensions.get(member.iso3)
        mine = [s for s in subs if s.country == member.iso3]
        for ds in wanted:
            gap = Gap(member.iso3, ds, "not_received", deadline, (deadline - as_of).days, extension_until=extension)
            accepted = [s for s in mine if s.dataset == ds and s.status == "accepted"]
            rejected = [s for s in mine if s.dataset in (ds, "") and s.status == "rejected"]
            if accepted:
                sub = accepted[-1]
                gap.received_at, gap.file_name = sub.received_at, sub.file_name
                gap.late = sub.received_at.date() > deadline
                if ds in answered:
                    have = answered[ds].get(sub.id, set())
                    gap.missing = [i.id for i in schema.matrix(ds).indicators if i.required and i.id not in have]
                elif schema.statistics and ds == schema.statistics.id:
                    years = stat_years.get(sub.id, {})
                    gap.missing = [
                        f"{ind.id}:{y}"
                        for ind in schema.statistics.indicators
                        if ind.required
                        for y in rnd.years()
                        if y not in years.get(ind.id, set())
                    ]
                gap.status = "incomplete" if gap.missing else ("late" if gap.late else "on_time")
            elif rejected:
                sub = rejected[-1]
                gap.status, gap.errors, gap.received_at, gap.file_name = (
                    "rejected",
                    sub.errors,
                    sub.received_at,
                    sub.file_name,
                )
            elif extension is not None and as_of <= extension:
                gap.status = "extension"
            gaps.append(gap)
    return GapReport(rnd, as_of, gaps, _rates(gaps, wanted))


def _rates(gaps: list[Gap], datasets: list[str]) -> list[Rate]:
    rates = {ds: Rate(ds) for ds in [*datasets, "all"]}
    for g in gaps:
        for key in (g.dataset, "all"):
            r = rates[key]
            r.expected += 1
            r.received += g.status not in ("not_received", "extension")
            r.accepted += g.status in ("on_time", "late", "incomplete")
            r.on_time += g.status in ("on_time", "incomplete") and not g.late
    return list(rates.values())
