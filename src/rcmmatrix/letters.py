"""Reminder and acknowledgement letters, one per member, in the member's language, as .eml and .txt.

Texts come from Jinja2 templates shipped in the package (``rcmmatrix/templates``); a workspace overrides any of them
by putting a file of the same name in its own ``templates/`` folder. The first line of a rendered letter is its
``Subject:``; the rest is the body.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from .gaps import STATUS_LABELS, Gap, GapReport
from .text import long_date
from .workspace import Workspace

LETTER_LANGS = ("es", "en", "fr")


@dataclass(slots=True)
class Letter:
    country: str
    lang: str
    to: str
    subject: str
    body: str
    eml: Path | None = None
    txt: Path | None = None
    items: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LetterRun:
    letters: list[Letter]
    index: Path
    without_address: list[str]


def environment(ws: Workspace) -> Any:
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

    return Environment(
        loader=ChoiceLoader([FileSystemLoader(str(ws.templates_dir)), PackageLoader("rcmmatrix", "templates")]),
        autoescape=False,  # plain-text e-mail; the HTML renderers use autoescape
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _items(ws: Workspace, gaps: list[Gap], lang: str) -> list[dict[str, Any]]:
    schema = ws.schema
    items = []
    for g in gaps:
        if g.dataset in schema.matrix_ids:
            matrix = schema.matrix(g.dataset)
            title = matrix.title.get(lang)
            missing = [matrix.by_id[i].label.get(lang) for i in g.missing if i in matrix.by_id]
        else:
            assert schema.statistics is not None
            title = schema.statistics.title.get(lang)
            missing = []
            for key in g.missing:
                ind, _, year = key.partition(":")
                if ind in schema.statistics.by_id:
                    missing.append(f"{schema.statistics.by_id[ind].label.get(lang)} ({year})")
        items.append(
            {
                "title": title,
                "status": g.status,
                "status_label": STATUS_LABELS[lang][g.status],
                "missing": missing,
                "errors": g.errors,
                "file": g.file_name or "",
            }
        )
    return items


def write_letters(
    ws: Workspace, report: GapReport, out_dir: Path, acknowledge: bool = False, today: dt.date | None = None
) -> LetterRun:
    """One letter per member that owes something (or, with ``acknowledge``, per member with accepted data)."""
    env = environment(ws)
    today = today or report.as_of
    out_dir.mkdir(parents=True, exist_ok=True)
    sec = ws.secretariat
    letters: list[Letter] = []
    without: list[str] = []
    kind = "acknowledgement" if acknowledge else "reminder"
    for member in ws.members:
        mine = [g for g in report.gaps if g.country == member.iso3]
        chosen = (
            [g for g in mine if g.status in ("on_time", "late", "incomplete")]
            if acknowledge
            else [g for g in mine if g.owed]
        )
        if not chosen:
            continue
        lang = member.language if member.language in LETTER_LANGS else "en"
        deadline = report.round.deadline_for(member.iso3)
        context = {
            "country": member.name(lang),
            "iso3": member.iso3,
            "focal_point": member.focal_point.name,
            "institution": member.focal_point.institution,
            "round": report.round.name,
            "deadline": long_date(deadline, lang),
            "days_left": (deadline - report.as_of).days,
            "items": _items(ws, chosen, lang),
            "secretariat": sec.name,
            "secretariat_email": sec.email,
            "signature": sec.signature or sec.name,
            "today": long_date(today, lang),
        }
        text = env.get_template(f"{kind}_{lang}.txt.j2").render(**context)
        subject, _, body = text.partition("\n")
        subject = subject.removeprefix("Subject:").strip()
        body = body.lstrip("\n")
        letter = Letter(
            member.iso3,
            lang,
            safe_address(member.focal_point.email),
            subject,
            body,
            items=[f"{i['title']}: {i['status_label']}" for i in context["items"]],
        )
        if not letter.to:
            without.append(member.iso3)
        stem = f"{member.iso3}_{report.round.name}_{kind}_{lang}"
        letter.txt = out_dir / f"{stem}.txt"
        letter.txt.write_text(f"{subject}\n\n{body}", encoding="utf-8")
        letter.eml = out_dir / f"{stem}.eml"
        letter.eml.write_bytes(_message(letter, sec.email, sec.name, today).as_bytes())
        letters.append(letter)
    index = out_dir / "index.txt"
    lines = [f"{kind} letters, round {report.round.name}, as of {report.as_of.isoformat()}", ""]
    for letter in letters:
        to = letter.to or "(no e-mail address: set one with `rcmmatrix members set`)"
        lines.append(
            f"{letter.country}\t{letter.lang}\t{to}\t{letter.eml.name if letter.eml else ''}\t"
            + "; ".join(letter.items)
        )
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return LetterRun(letters, index, without)


def safe_address(text: str) -> str:
    """A single, plain e-mail address, or "" (then the letter has no To: and the CLI warns): a name or address
    from the config can never add a header or a second recipient."""
    if any(c in text for c in "\r\n,;") or not text.strip():
        return ""
    _name, addr = email.utils.parseaddr(text.strip())
    return addr if "@" in addr and " " not in addr and addr == text.strip() else ""


def _message(letter: Letter, sender: str, sender_name: str, today: dt.date) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = " ".join(letter.subject.split())  # no line breaks in a header, whatever a template says
    msg["From"] = email.utils.formataddr((sender_name, sender or "secretariat@invalid"))
    if letter.to:
        msg["To"] = letter.to
    msg["Date"] = email.utils.format_datetime(dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.UTC))
    msg["Message-ID"] = email.utils.make_msgid(domain="rcmmatrix.invalid")
    msg["Content-Language"] = letter.lang
    msg.set_content(letter.body)
    return msg
