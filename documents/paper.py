"""What a document shows, as plain data: a paper (公文) of titled sections — paragraphs,
label/value fields, a table — or a certificate. One HTML template renders every paper and
one Word writer writes it, so a document's content is stated once for both formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from documents import render
from domain.dates import SHANGHAI


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric_from: int = 1
    """Columns from this index on are right-aligned (scores, amounts)."""


@dataclass(frozen=True)
class Section:
    heading: str = ""
    paragraphs: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    table: Table | None = None


@dataclass(frozen=True)
class Paper:
    title: str
    dated: date
    """The document's date: printed, and its files' creation date."""
    sections: tuple[Section, ...]
    number: str = ""
    """文号, e.g. 庆质评办〔2025〕1号."""
    addressee: str = ""
    issuer: str = render.AUTHOR
    marking: str = ""
    """A confidentiality line at the top (e.g. 仅限县评审办和申报组织查阅)."""
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Certificate:
    number: str
    organization: str
    award_name: str
    year: int
    awarded_on: date
    valid_until: date | None
    issuer: str = "庆元县人民政府"


def day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def points(value: float | None) -> str:
    """Scores at full precision, shown rounded half-up to 0.1 (DESIGN 3.2)."""
    from domain.scoring import round_half_up

    return "—" if value is None else f"{round_half_up(value):.1f}"


def instant_of(d: date) -> datetime:
    """A document's creation instant: 00:00 Beijing time of its date (never the clock)."""
    return datetime(d.year, d.month, d.day, tzinfo=SHANGHAI)


def paper_pdf(paper: Paper, key: str) -> bytes:
    return render.pdf(
        "paper.html",
        {"paper": paper, "day": day},
        title=paper.title,
        key=key,
        at=instant_of(paper.dated),
    )


def certificate_pdf(cert: Certificate, key: str) -> bytes:
    title = f"{cert.award_name}证书"
    return render.pdf(
        "certificate.html",
        {"cert": cert, "day": day},
        title=title,
        key=key,
        at=instant_of(cert.awarded_on),
    )


def paper_docx(paper: Paper) -> bytes:
    return render.docx(
        lambda document: _write_docx(document, paper), title=paper.title, at=instant_of(paper.dated)
    )


def _write_docx(document: Any, paper: Paper) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.name = "Noto Serif CJK SC"
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    if paper.marking:
        document.add_paragraph(paper.marking)
    heading = document.add_heading(paper.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if paper.number:
        document.add_paragraph(paper.number).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if paper.addressee:
        document.add_paragraph(paper.addressee)
    for section in paper.sections:
        if section.heading:
            document.add_heading(section.heading, level=2)
        for text in section.paragraphs:
            document.add_paragraph(text).paragraph_format.first_line_indent = Pt(24)
        for label, value in section.fields:
            document.add_paragraph(f"{label}：{value}")
        if section.table is not None:
            table = document.add_table(rows=1, cols=len(section.table.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, section.table.header, strict=True):
                cell.text = text
            for row in section.table.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
    for note in paper.notes:
        document.add_paragraph(note)
    for line in (paper.issuer, day(paper.dated)):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
