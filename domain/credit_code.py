"""Unified social credit code (统一社会信用代码), GB 32100-2015 — intake check (DESIGN 3.1).

Layout: 1 registration authority, 1 organization type, 6 administrative division code
(digits), 9 organization code, 1 check character over the first 17.
"""

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {char: value for value, char in enumerate(CHARSET)}


def check_character(first17: str) -> str:
    """The check character for the first 17 characters; ValueError when they are malformed."""
    if len(first17) != len(WEIGHTS) or any(char not in _VALUE for char in first17):
        raise ValueError("统一社会信用代码前17位格式错误")
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """Whether `code` is 18 characters of the GB 32100 charset with a correct check character.

    The administrative division code (positions 3-8) must be digits. Lowercase is refused:
    the standard uses capitals only, and the code is stored as given.
    """
    if len(code) != 18 or any(char not in _VALUE for char in code):
        return False
    if not code[2:8].isdigit():
        return False
    return check_character(code[:17]) == code[17]
