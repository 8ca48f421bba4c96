"""Workflow ids, built in one place (DESIGN.md §4): `cycle-{year}`, `honor-{code}-{award}-{year}`.

A suffix keeps rehearsals and tests apart from the live workflows; a cycle opened again in
a year whose earlier cycle was cancelled gets `-{n}` (its n-th opening).
"""

from __future__ import annotations

from domain.types import Award


def cycle_workflow_id(year: int, suffix: str = "", opening: int = 1) -> str:
    base = f"cycle-{year}{suffix}"
    return base if opening == 1 else f"{base}-{opening}"


def cycle_suffix(workflow_id: str, year: int) -> str:
    """What follows `cycle-{year}` in a cycle's id (its honors carry the same suffix)."""
    return workflow_id.removeprefix(f"cycle-{year}")


def honor_workflow_id(credit_code: str, award: Award, year: int, suffix: str = "") -> str:
    return f"honor-{credit_code}-{award.value}-{year}{suffix}"
