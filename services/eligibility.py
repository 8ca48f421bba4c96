"""Preliminary eligibility (§3(1), §4(1); DESIGN 3.1): what already fails at intake.

Until qualification closes, an application's result is only what the declared facts and
the honors register say at the reference date (the cycle's application deadline), with
no department finding yet; the workflow decides the real result when the office closes
qualification. Shown at once, so an applicant that cannot pass hears it on the first day.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from db.repositories import honors
from domain.eligibility import Failure, evaluate_eligibility
from domain.rules import ProgramRules
from domain.types import Award
from services.views import ApplicationRow


def is_preliminary(row: ApplicationRow) -> bool:
    """The result is preliminary until qualification has decided the application."""
    return row.application.eligible is None


async def preliminary_failures(
    session: AsyncSession, rows: Sequence[ApplicationRow]
) -> dict[int, list[Failure]]:
    """By application id: the rules E1–E8 that fail on the facts on file, for every row
    whose result is still preliminary (one read of facts and honors for all of them)."""
    waiting = [row for row in rows if is_preliminary(row)]
    if not waiting:
        return {}
    codes = sorted({row.organization.credit_code for row in waiting})
    data = await session.run_sync(honors.eligibility_data, codes)
    found: dict[int, list[Failure]] = {}
    for row in waiting:
        org = data.get(row.organization.credit_code)
        if org is None:
            continue
        found[row.application.id] = evaluate_eligibility(
            org.facts,
            Award(row.application.award),
            row.cycle.year,
            row.cycle.application_deadline,
            org.honors,
            [],
            ProgramRules.model_validate(row.cycle.rules),
        )
    return found
