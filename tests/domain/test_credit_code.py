"""GB 32100-2015 unified social credit code (intake check, DESIGN 3.1)."""

import pytest

from domain.credit_code import check_character, is_valid_credit_code


@pytest.mark.parametrize(
    "code",
    [
        "91331126MA0000501X",
        "91331126MA00005021",
        "91331126MA00005034",
        "91331126MA00005047",
        "91331126MA0000601K",
        "91331126MA0000602N",
        "91331126MA0000603R",
        "91331126MA0000604W",
        "91331126MA0000001H",
    ],
)
def test_valid_codes(code: str) -> None:
    assert is_valid_credit_code(code)
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    "code",
    [
        "91331126MA00005011",  # wrong check character
        "91331126ma0000501x",  # lowercase
        "91331126MA0000501",  # 17 characters
        "91331126MA0000501XX",  # 19 characters
        "91331126MI0000501X",  # I is not in the charset
        "91331126MO0000501X",  # O is not in the charset
        "",
    ],
)
def test_invalid_codes(code: str) -> None:
    assert not is_valid_credit_code(code)


def test_division_code_must_be_digits_even_with_a_correct_check_character() -> None:
    first17 = "913A1126MA0000501"
    assert not is_valid_credit_code(first17 + check_character(first17))


@pytest.mark.parametrize("first17", ["91331126MA000050", "91331126MA00005O1", "91331126MA0000501X"])
def test_check_character_refuses_malformed_input(first17: str) -> None:
    with pytest.raises(ValueError, match="前17位"):
        check_character(first17)
