"""The projection's read models under their former names, for `sim/output.py` and
`api/routers/public.py` (owned by others) until they import from `services.listings` and
`services.honors`, where each of these reads now lives once."""

from __future__ import annotations

from services.honors import HonorView, honors
from services.listings import ApplicationView, CycleView, NoticeView
from services.listings import cycle_views as cycles
from services.listings import notice_views as notices

__all__ = [
    "ApplicationView",
    "CycleView",
    "HonorView",
    "NoticeView",
    "cycles",
    "honors",
    "notices",
]
