"""Deterministic rendering (issue #15): the same data gives the same bytes — in another
process, at another time — with the document's own date in the files' metadata, and the
CJK font embedded in every PDF."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import time
import zipfile
from datetime import UTC, date, datetime

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from documents.paper import (
    Certificate,
    Paper,
    Section,
    Table,
    certificate_pdf,
    paper_docx,
    paper_pdf,
)
from documents.render import xlsx
from tests.documents.reading import docx_text, embedded_fonts, pdf_text, xlsx_sheets

DATED = date(2025, 5, 10)
PAPER = Paper(
    title="资料评审报告",
    dated=DATED,
    marking="仅限县评审办及该申报组织查阅",
    sections=(
        Section(heading="一、基本情况", fields=(("申报组织", "庆元县某某食品有限公司"),)),
        Section(
            heading="二、得分",
            paragraphs=("评审组依据 GB/T 19580 评审。",),
            table=Table(("类目", "分值", "得分"), (("4.1 领导", "110", "77.0"),)),
        ),
    ),
)
RENDER_ELSEWHERE = """
import hashlib, sys
from tests.documents.test_render import PAPER
from documents.paper import paper_pdf, paper_docx
print(hashlib.sha256(paper_pdf(PAPER, "k")).hexdigest())
print(hashlib.sha256(paper_docx(PAPER)).hexdigest())
"""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_pdf_says_what_its_data_says_in_an_embedded_cjk_font() -> None:
    data = paper_pdf(PAPER, "k")
    text = pdf_text(data)
    assert "资料评审报告" in text
    assert "庆元县某某食品有限公司" in text
    assert "77.0" in text
    assert "2025年5月10日" in text
    fonts = embedded_fonts(data)
    assert any(f.endswith("+Noto-Serif-CJK-SC") for f in fonts), fonts
    assert any(f.endswith("+Noto-Sans-CJK-SC-Bold") for f in fonts), fonts
    info = PdfReader(io.BytesIO(data)).metadata
    assert info is not None
    assert info.title == "资料评审报告"
    assert str(info["/CreationDate"]).startswith("D:20250510000000+08")


def test_the_same_data_gives_the_same_bytes_in_another_process_and_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pdf, word = paper_pdf(PAPER, "k"), paper_docx(PAPER)
    later = time.time() + 86_400 * 3
    monkeypatch.setattr(time, "time", lambda: later)  # the zip writers' clock
    assert _digest(paper_docx(PAPER)) == _digest(word)
    elsewhere = subprocess.run(
        [sys.executable, "-c", RENDER_ELSEWHERE], capture_output=True, text=True, check=True
    ).stdout.split()
    assert elsewhere == [_digest(pdf), _digest(word)]
    assert _digest(paper_pdf(PAPER, "other key")) != _digest(pdf)


def test_word_carries_the_documents_date_not_the_clock() -> None:
    data = paper_docx(PAPER)
    assert "庆元县某某食品有限公司" in docx_text(data)
    assert "77.0" in docx_text(data)
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.created == props.modified == datetime(2025, 5, 9, 16, 0, tzinfo=UTC)
    stamps = {info.date_time for info in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert stamps == {(2025, 5, 9, 16, 0, 0)}


def test_excel_reads_back_and_carries_the_documents_date() -> None:
    at = datetime(2025, 5, 10, tzinfo=UTC)

    def build(workbook: openpyxl.Workbook) -> None:
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "汇总"
        sheet.append(["申报组织", "总分"])
        sheet.append(["庆元县某某食品有限公司", 615.5])

    first = xlsx(build, title="评分汇总表", at=at)
    assert xlsx(build, title="评分汇总表", at=at) == first
    assert xlsx_sheets(first) == {"汇总": [["申报组织", "总分"], ["庆元县某某食品有限公司", 615.5]]}
    props = openpyxl.load_workbook(io.BytesIO(first)).properties
    assert props.modified == props.created == datetime(2025, 5, 10)


def test_a_certificate_names_its_number_award_year_and_validity() -> None:
    cert = Certificate(
        number="庆质奖证〔2025〕Z01号",
        organization="庆元县某某食品有限公司",
        award_name="质量奖",
        year=2025,
        awarded_on=date(2026, 1, 20),
        valid_until=date(2031, 1, 19),
    )
    text = pdf_text(certificate_pdf(cert, "c"))
    assert "庆质奖证〔2025〕Z01号" in text
    assert "2025年度庆元县人民政府质量奖" in text
    assert "有效期：2026年1月20日至2031年1月19日" in text
    assert _digest(certificate_pdf(cert, "c")) == _digest(certificate_pdf(cert, "c"))
