"""Fixtures for the pure rules: the seed's program rules."""

import pytest

from domain.rules import ProgramRules, default_rules


@pytest.fixture
def rules() -> ProgramRules:
    return default_rules()
