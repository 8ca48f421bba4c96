"""Contact details: e-mail syntax and Chinese mainland phone numbers."""

from __future__ import annotations

import pytest

from domain.contacts import is_valid_email, normalize_email, normalize_phone


@pytest.mark.parametrize(
    "address",
    ["zhang.san@example.com", "office+qaward@qingyuan.gov.cn", "a_b-c@mail-1.example.org"],
)
def test_ordinary_addresses_are_valid(address: str) -> None:
    assert is_valid_email(address)


@pytest.mark.parametrize(
    "address",
    [
        "zhang＠example.com",
        "zhang@example",  # no top-level domain
        "zhang@@example.com",
        "@example.com",
        "zhang..san@example.com",
        "zhang@-example.com",
        "zhang@example.c0m",
        "x" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
        "张三@example.com",
    ],
)
def test_mistyped_addresses_are_not(address: str) -> None:
    assert not is_valid_email(address)


def test_an_address_is_stored_with_its_domain_in_lower_case() -> None:
    assert normalize_email("  Zhang.San@Example.COM ") == "Zhang.San@example.com"


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("+86 138-0013-8000".replace("-", ""), "13800138000"),
        ("+86-13800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("0578-6123456", "0578-6123456"),
        ("(0578)6123456", "05786123456"),
        ("010-12345678-123", "010-12345678-123"),
    ],
)
def test_mainland_numbers_are_normalized(written: str, stored: str) -> None:
    assert normalize_phone(written) == stored


@pytest.mark.parametrize("written", ["12345", "12800138000", "578-6123456", "0578-12", "电话"])
def test_other_numbers_are_refused(written: str) -> None:
    assert normalize_phone(written) is None
