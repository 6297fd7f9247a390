"""Protocol compliance scores, derived from the matrices, never typed in.

Per country and group: the share of scored Protocol provisions met (yes = 1, partial = 0.5, no = 0 by default,
from the schema's [scoring]), "not applicable" left out of the denominator, and unanswered provisions counted as
an *unknown* share rather than as "no". A country's overall score is the weighted mean of its groups (equal
weights by default). This is a monitoring aid, not a legal assessment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import RcmmatrixError
from .matrix import MatrixView, build_matrix
from .workspace import Workspace


@dataclass(slots=True)
class GroupScore:
    matrix: str
    group: str
    counted: int = 0  # scored provisions minus those not applicable
    points: float = 0.0
    unknown: int = 0
    not_applicable: int = 0
    not_met: list[tuple[str, str, str]] = field(default_factory=list)  # (indicator id, state, ref)

    @property
    def met(self) -> float | None:
        """Share met, unknown provisions in the denominator (a lower bound); None when nothing is known."""
        return self.points / self.counted if self.counted and self.unknown < self.counted else None

    @property
    def unknown_share(self) -> float | None:
        return self.unknown / self.counted if self.counted else None


@dataclass(slots=True)
class CountryScore:
    country: str
    submitted: bool
    groups: dict[tuple[str, str], GroupScore]
    weights: dict[tuple[str, str], float]

    def overall(self, matrix: str | None = None) -> float | None:
        return _weighted(self, matrix, "met")

    def unknown(self, matrix: str | None = None) -> float | None:
        return _weighted(self, matrix, "unknown_share")


def _weighted(score: CountryScore, matrix: str | None, attr: str) -> float | None:
    total = weight = 0.0
    for key, g in score.groups.items():
        value = getattr(g, attr)
        if value is None or (matrix and key[0] != matrix):
            continue
        w = score.weights[key]
        total += w * value
        weight += w
    return total / weight if weight else None


@dataclass(slots=True)
class ScoreReport:
    round: str
    since: str | None
    matrices: list[str]
    groups: list[tuple[str, str]]
    countries: list[CountryScore]
    previous: dict[str, CountryScore] = field(default_factory=dict)

    def change(self, country: str, matrix: str | None = None) -> float | None:
        before = self.previous.get(country)
        now = next(c for c in self.countries if c.country == country)
        if before is None:
            return None
        a, b = now.overall(matrix), before.overall(matrix)
        return None if a is None or b is None else a - b

    def to_rows(self) -> list[dict[str, Any]]:
        rows = []
        for c in self.countries:
            for (m, g), gs in c.groups.items():
                before = self.previous.get(c.country)
                prev = before.groups[(m, g)].met if before else None
                rows.append(
                    {
                        "round": self.round,
                        "country": c.country,
                        "matrix": m,
                        "group": g,
                        "met": _r(gs.met),
                        "unknown": _r(gs.unknown_share),
                        "counted": gs.counted,
                        "not_applicable": gs.not_applicable,
                        "since": self.since or "",
                        "change": _r(gs.met - prev) if gs.met is not None and prev is not None else None,
                    }
                )
        return rows


def percent(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.0f}%"


def score_text(met: float | None, unknown: float | None) -> str:
    """How a score reads in a matrix row: '64%', '50% (?25%)' with an unknown share, '—' when nothing is known."""
    if met is None:
        return "—"
    return percent(met) + (f" (?{percent(unknown)})" if unknown else "")


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def score_view(
    view: MatrixView, points: dict[str, float], weights: dict[tuple[str, str], float]
) -> dict[str, CountryScore]:
    out: dict[str, CountryScore] = {}
    scored = [i for i in view.matrix.indicators if i.scored and i.id in view.frame.index]
    for iso3 in view.countries:
        groups: dict[tuple[str, str], GroupScore] = {}
        for ind in scored:
            key = (view.matrix.id, ind.group)
            g = groups.setdefault(key, GroupScore(*key))
            cell = view.frame.loc[ind.id, iso3]
            if cell.state == "not_applicable":
                g.not_applicable += 1
                continue
            g.counted += 1
            if cell.state in points:
                g.points += points[cell.state]
                if cell.state != "yes":
                    g.not_met.append((ind.id, cell.state, ind.ref))
            else:
                g.unknown += 1
        out[iso3] = CountryScore(iso3, iso3 not in view.missing, groups, {k: weights[k] for k in groups})
    return out


def compute_scores(
    ws: Workspace,
    matrices: Sequence[str] = ("all",),
    round_name: str | None = None,
    since: str | None = None,
    countries: Sequence[str] | None = None,
) -> ScoreReport:
    schema = ws.schema
    ids = list(schema.matrix_ids) if "all" in matrices else list(matrices)
    points = dict(schema.scoring.points)
    rnd = ws.round(round_name)

    def run(round_: str) -> dict[str, CountryScore]:
        merged: dict[str, CountryScore] = {}
        for mid in ids:
            view = build_matrix(ws, mid, round_, countries, None, ws.language)
            weights = {(mid, g.id): schema.scoring.weight(mid, g.id) for g in view.matrix.groups}
            for iso3, cs in score_view(view, points, weights).items():
                if iso3 in merged:
                    merged[iso3].groups.update(cs.groups)
                    merged[iso3].weights.update(cs.weights)
                    merged[iso3].submitted = merged[iso3].submitted or cs.submitted
                else:
                    merged[iso3] = cs
        return merged

    now = run(rnd.name)
    if not any(i.scored for m in ids for i in schema.matrix(m).indicators):
        raise RcmmatrixError("no indicator of these matrices is marked `scored = true` in the schema")
    groups = [
        (m, g.id)
        for m in ids
        for g in schema.matrix(m).groups
        if any(i.scored and i.group == g.id for i in schema.matrix(m).indicators)
    ]
    previous = run(ws.round(since).name) if since else {}
    return ScoreReport(rnd.name, since, ids, groups, list(now.values()), previous)


METHODOLOGY = {
    "es": [
        "Qué se cuenta: las disposiciones de los Protocolos de Palermo (trata de personas y tráfico ilícito de migrantes) "
        "que el esquema marca como puntuables; cada una es una pregunta de sí/no de la matriz con su artículo de referencia.",
        "Cómo: «Sí» vale {yes}, «Parcial» {partial} y «No» {no} puntos. «No aplica» se excluye del denominador. "
        "Una disposición sin respuesta (o de un país que no presentó su matriz) no se cuenta como «No»: forma la parte «desconocida».",
        "La puntuación de un grupo es la suma de puntos dividida por las disposiciones contadas; la de un país, la media "
        "ponderada de sus grupos (pesos iguales salvo que el esquema diga otra cosa).",
        "Límites: es una ayuda para el seguimiento, no una evaluación jurídica. Refleja lo que cada país declaró, sin "
        "verificar la ley ni su aplicación; una disposición puede cumplirse por vías que la matriz no capta.",
    ],
    "en": [
        "What is counted: the provisions of the Palermo Protocols (trafficking in persons and smuggling of migrants) that "
        "the schema marks as scored; each is a yes/no question of the matrix with its article reference.",
        "How: 'Yes' earns {yes}, 'Partial' {partial} and 'No' {no} points. 'Not applicable' is left out of the denominator. "
        "A provision with no answer (or from a country that sent no matrix) is not counted as 'No': it forms the 'unknown' share.",
        "A group's score is its points divided by the provisions counted; a country's score is the weighted mean of its "
        "groups (equal weights unless the schema says otherwise).",
        "Limits: this is a monitoring aid, not a legal assessment. It reflects what each country reported, without "
        "checking the law or its implementation; a provision may be met in ways the matrix does not capture.",
    ],
}


def methodology(lang: str, points: dict[str, float]) -> list[str]:
    fmt = {k: f"{v:g}" for k, v in points.items()}
    return [line.format(**fmt) for line in METHODOLOGY.get(lang, METHODOLOGY["en"])]


def write_scores(
    ws: Workspace,
    outputs: Sequence[Path],
    matrices: Sequence[str] = ("all",),
    round_name: str | None = None,
    since: str | None = None,
    lang: str = "es",
    generated: dt.date | None = None,
) -> list[Path]:
    import csv
    import json

    formats = (".xlsx", ".html", ".csv", ".json")
    bad = [p for p in outputs if p.suffix.lower() not in formats]
    if bad:
        raise RcmmatrixError(f"{bad[0]}: unknown format '{bad[0].suffix}' (use {', '.join(formats)})")
    if lang not in ("es", "en"):
        raise RcmmatrixError(f"language '{lang}' is not available for scores (es, en)")
    report = compute_scores(ws, matrices, round_name, since)
    day = generated or dt.date.today()
    text = methodology(lang, dict(ws.schema.scoring.points))
    written = []
    for path in outputs:
        path.parent.mkdir(parents=True, exist_ok=True)
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            from .render.scores import write_excel

            written.append(write_excel(ws, report, path, lang, text, day))
        elif suffix == ".html":
            from .render.scores import write_html

            written.append(write_html(ws, report, path, lang, text, day))
        elif suffix == ".json":
            path.write_text(
                json.dumps({"methodology": text, "scores": report.to_rows()}, ensure_ascii=False, indent=1),
                encoding="utf-8",
            )
            written.append(path)
        else:
            rows = report.to_rows()
            with open(path, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["round"])
                writer.writeheader()
                writer.writerows(rows)
            written.append(path)
    return written
