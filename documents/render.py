"""Deterministic rendering: the same data gives the same bytes (the archive's digest).

- PDF: Jinja2 HTML templates through WeasyPrint, in Noto Serif/Sans CJK (fonts-noto-cjk,
  found through fontconfig, never downloaded) and embedded as a subset. The PDF's dates
  and identifier come from the document's own date and key, never the clock.
- Word (python-docx) and Excel (openpyxl) are zip packages: their core properties and
  every zip entry's timestamp are set from the document's date, after the library has
  written its own (openpyxl stamps `modified` with the clock on save).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import jinja2

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("documents", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
AUTHOR = "庆元县人民政府质量奖评审委员会办公室"

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def html(template: str, context: Mapping[str, Any]) -> str:
    return _TEMPLATES.get_template(template).render(**context)


def pdf(template: str, context: Mapping[str, Any], *, title: str, key: str, at: datetime) -> bytes:
    """A PDF from `templates/<template>`; `at` (aware) is its creation date, `key` its identity."""
    from weasyprint import HTML  # heavy: imported when a PDF is first made

    page = html(template, {**context, "title": title, "created": at.isoformat(), "author": AUTHOR})
    identifier = hashlib.md5(key.encode(), usedforsecurity=False).hexdigest().encode()
    return bytes(HTML(string=page).write_pdf(pdf_identifier=identifier))


def fixed_zip(data: bytes, at: datetime) -> bytes:
    """The same package with every entry stamped `at` and the core properties' dates set to
    `at` (in the order the library wrote them; deflated at a fixed level)."""
    stamp = at.astimezone(UTC).replace(tzinfo=None)
    w3c = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target:
        for entry in source.infolist():
            blob = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                blob = _core_dates(blob, w3c)
            info = zipfile.ZipInfo(entry.filename, date_time=_zip_time(stamp))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, blob)
    return out.getvalue()


def _zip_time(stamp: datetime) -> tuple[int, int, int, int, int, int]:
    year = max(stamp.year, 1980)  # the zip format starts in 1980
    return (year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)


_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _core_dates(core: bytes, w3c: str) -> bytes:
    return _CORE_DATE.sub(lambda m: m.group(1) + w3c.encode() + m.group(3), core)


def docx(build: Callable[[Any], None], *, title: str, at: datetime) -> bytes:
    """A Word file: `build(document)` fills a fresh python-docx document."""
    import docx as python_docx

    document = python_docx.Document()
    build(document)
    props = document.core_properties
    naive = at.astimezone(UTC).replace(tzinfo=None)
    props.title = title
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = naive
    props.modified = naive
    props.last_printed = naive
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), at)


def xlsx(build: Callable[[Any], None], *, title: str, at: datetime) -> bytes:
    """An Excel file: `build(workbook)` fills a fresh openpyxl workbook."""
    from openpyxl import Workbook

    workbook = Workbook()
    build(workbook)
    naive = at.astimezone(UTC).replace(tzinfo=None)
    workbook.properties.title = title
    workbook.properties.creator = AUTHOR
    workbook.properties.lastModifiedBy = AUTHOR
    workbook.properties.created = naive
    workbook.properties.modified = naive
    buffer = io.BytesIO()
    workbook.save(buffer)
    return fixed_zip(buffer.getvalue(), at)
