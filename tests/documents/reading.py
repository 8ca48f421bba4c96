"""Reading generated files back as a user's program would: text from PDF (pypdf) and Word
(python-docx), cells from Excel (openpyxl), and the fonts a PDF embeds."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
import openpyxl
from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """The PDF's text with the whitespace removed (CJK lines break anywhere)."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))


def embedded_fonts(data: bytes) -> set[str]:
    """Base names of the fonts embedded in the PDF (with a font file of their own)."""
    found: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]
        fonts: Any = resources.get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                d = descendant.get_object()
                descriptor = d.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    found.add(str(d["/BaseFont"]))
    return found


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return re.sub(r"\s+", "", "".join(parts))


def xlsx_sheets(data: bytes) -> dict[str, list[list[Any]]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }
