"""The simulator's JSON outcome (DESIGN.md §6): keys fixed, lists in a stable order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.scoring import round_half_up
from services import listings
from services.honors import honors as honors_on

if TYPE_CHECKING:
    from sim.runner import Context


@dataclass
class Outcome:
    now: datetime
    cycles: list[dict[str, Any]] = field(default_factory=list)
    honors: list[dict[str, Any]] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    supervision: dict[str, Any] = field(default_factory=dict)
    """Irregularities, reviewers' standing, draws, follow-ups, spread flags (§6)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "cycles": self.cycles,
            "honors": self.honors,
            "notices": self.notices,
            "rejected": self.rejected,
            "snapshots": self.snapshots,
            # Only for a scenario that uses the supervision actions or reviewer terms: the
            # output of every other scenario stays as DESIGN.md §6 describes it.
            **({"supervision": self.supervision} if self.supervision else {}),
        }


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _score(value: float | None) -> float | None:
    """Scores are output rounded half-up to 0.1 (DESIGN §3.2); the run keeps full precision."""
    return None if value is None else round_half_up(value)


def _scenario_keys(ctx: Context) -> Callable[[str], str]:
    """Credit code → the scenario's key for the organization (the code itself if none)."""
    keys = {code: key for key, code in ctx.codes.items()}
    return lambda code: keys.get(code, code)


async def collect(ctx: Context, at: datetime, *, snapshot: bool) -> dict[str, Any]:
    by_key = _scenario_keys(ctx)
    async with ctx.sessions() as session:
        cycle_views = await listings.cycle_views(session)
        honor_views = await honors_on(session, at.date())
    cycles = [
        {
            "year": c.year,
            "phase": c.phase,
            "publicity": {
                "opens": _iso(c.publicity_opens and c.publicity_opens.astimezone(at.tzinfo)),
                "closes": _iso(c.publicity_closes and c.publicity_closes.astimezone(at.tzinfo)),
            },
            "applications": [
                {
                    "organization": by_key(a.credit_code),
                    "award": a.award,
                    "outcome": a.outcome,
                    "reasons": a.reasons,
                    "document_score": _score(a.document_score),
                    "site_score": _score(a.site_score),
                    "total_score": _score(a.total_score),
                }
                for a in sorted(c.applications, key=lambda a: by_key(a.credit_code))
            ],
            "winners": {
                award: sorted(by_key(code) for code in c.winners.get(award, []))
                for award in ("quality", "innovation")
            },
        }
        for c in cycle_views
    ]
    honors = [
        {
            "organization": by_key(h.credit_code),
            "award": h.award,
            "year": h.year,
            "awarded_on": h.awarded_on.isoformat(),
            "bonus_cny": h.bonus_cny,
            "takes_quota_place": h.takes_quota_place,
            "status": h.status,
            "valid_until": _iso(h.valid_until),
            "revocation_window_closes": h.revocation_window_closes.isoformat(),
            "reapply_from": h.reapply_from.isoformat(),
            "revoked_on": _iso(h.revoked_on),
            "revocation_reason": h.revocation_reason,
            "bonus_recovered_cny": h.bonus_recovered_cny,
        }
        for h in sorted(honor_views, key=lambda h: (h.year, by_key(h.credit_code), h.award))
    ]
    if snapshot:
        return {"at": at.isoformat(), "cycles": cycles, "honors": honors}
    return {"cycles": cycles, "honors": honors, "notices": await collect_notices(ctx)}


async def collect_notices(ctx: Context) -> list[dict[str, Any]]:
    by_key = _scenario_keys(ctx)
    async with ctx.sessions() as session:
        notice_views = await listings.notice_views(session)
    return [
        {
            "kind": n.kind,
            "on": n.on.isoformat(),
            "audience": n.audience,
            "organization": None if n.credit_code is None else by_key(n.credit_code),
        }
        for n in notice_views
    ]
