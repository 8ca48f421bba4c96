"""What an uploaded material must be (申报材料, §3(2)2): a plain PDF document, nothing more.

The file is parsed (pypdf), not only sniffed. Refused: content before ``%PDF-``, a file
that is also a ZIP archive or carries HTML/script markup (a polyglot that another program
would open as something else), an encrypted file (it cannot be inspected), and anything
that acts when opened: JavaScript, ``/OpenAction``, additional actions (``/AA``),
``/Launch`` and other actions, embedded files, XFA forms and rich media.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from domain.errors import DomainError, ErrorCode

PDF_SIGNATURE = b"%PDF-"
_EDGE = 4096
_MARKUP = (b"<html", b"<!doctype", b"<script", b"<body", b"<svg", b"<iframe", b"<?xml-stylesheet")
_ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/OpenAction": "打开即执行的动作（/OpenAction）",
    "/AA": "自动执行的动作（/AA）",
    "/Launch": "启动外部程序（/Launch）",
    "/EmbeddedFiles": "嵌入文件",
    "/EmbeddedFile": "嵌入文件",
    "/XFA": "XFA表单",
    "/RichMedia": "富媒体",
}
_ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "启动外部程序（/Launch）",
    "/ImportData": "导入数据动作",
    "/SubmitForm": "提交表单动作",
    "/GoToE": "打开嵌入文件的动作",
    "/Rendition": "多媒体动作",
}
MAX_OBJECTS = 200_000
"""A file with more objects than this is refused rather than walked."""

logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed uploads are refused, not logged


def _refuse(why: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_MATERIAL, why)


def _check_edges(path: Path) -> None:
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(_EDGE)
        f.seek(max(size - _EDGE, 0))
        tail = f.read(_EDGE)
    if not head.startswith(PDF_SIGNATURE):
        raise _refuse("只接受PDF文件（文件须以 %PDF- 开头，之前不得有其他内容）")
    if zipfile.is_zipfile(path):
        raise _refuse("文件同时是ZIP压缩包")
    lowered = head.lower() + tail.lower()
    if any(mark in lowered for mark in _MARKUP):
        raise _refuse("文件含有网页（HTML/脚本）内容")


def _walk(reader: PdfReader) -> None:
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject] = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            if len(seen) > MAX_OBJECTS:
                raise _refuse("PDF对象过多")
            resolved = item.get_object()
            if resolved is None:
                continue
            item = resolved
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in _ACTIVE_KEYS:
                    raise _refuse(f"PDF含有{_ACTIVE_KEYS[key]}")
                if key == "/S" and isinstance(value, NameObject) and value in _ACTIVE_ACTIONS:
                    raise _refuse(f"PDF含有{_ACTIVE_ACTIONS[value]}")
                if key != "/Parent":  # the page tree points back up; its parents are walked
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def check_pdf(path: Path) -> None:
    """Refuse (`invalid_material`, with the reason) whatever is not a plain PDF document."""
    _check_edges(path)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise _refuse("不接受加密的PDF")
        if len(reader.pages) == 0:
            raise _refuse("PDF没有页面")
        _walk(reader)
    except DomainError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as err:
        raise _refuse("PDF文件已损坏或无法解析") from err
