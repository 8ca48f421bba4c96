"""PDF files for the upload tests, made with pypdf: a plain one and each kind of refusal."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


def pdf(change: Callable[[PdfWriter], None] | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if change is not None:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _action(kind: str, **extra: str) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in extra.items():
        action[NameObject(f"/{key}")] = TextStringObject(value)
    return action


def _open_action(kind: str, **extra: str) -> Callable[[PdfWriter], None]:
    def change(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/OpenAction")] = _action(kind, **extra)

    return change


def _link(kind: str, **extra: str) -> Callable[[PdfWriter], None]:
    """A link annotation on the first page that runs `kind` when clicked."""

    def change(writer: PdfWriter) -> None:
        link = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
                NameObject("/A"): _action(kind, **extra),
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])

    return change


def _attachment(writer: PdfWriter) -> None:
    writer.add_attachment("payload.exe", b"MZ")


def _zip_tail() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.txt", "hi")
    return out.getvalue()


PLAIN = pdf()
REFUSED = {
    "javascript": pdf(_link("/JavaScript", JS="app.alert(1)")),
    "open_action": pdf(_open_action("/GoTo")),
    "launch": pdf(_link("/Launch", F="calc.exe")),
    "embedded_file": pdf(_attachment),
    "content_before": b"GIF89a" + PLAIN,
    "zip_polyglot": PLAIN + _zip_tail(),
    "html_polyglot": PLAIN + b"<html><script>alert(1)</script></html>",
    "not_parseable": b"%PDF-1.4\n%%EOF\n",
}


def _subject(text: str) -> Callable[[PdfWriter], None]:
    return lambda writer: writer.add_metadata({"/Subject": text})


def padded(size: int) -> bytes:
    """A plain PDF of exactly `size` bytes (its metadata holds the padding)."""
    n = 0
    for _ in range(5):
        made = pdf(_subject("x" * n))
        if len(made) == size:
            return made
        n += size - len(made)
    raise AssertionError(f"could not make a PDF of {size} bytes")
