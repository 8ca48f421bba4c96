"""The payloads that could name every shortlisted applicant, with the whole field of a
5,000-application cycle shortlisted (as `qaward bench` does), stay under 256 KB each, and
the ones that no longer carry the list stay the same size at any shortlist: measured as the
cycle builds them, through the service's data converter (codec included), without running
the cycle (`sim.bench_shortlist`)."""

from __future__ import annotations

from sim.bench_shortlist import LIMIT, measure, payloads
from tests.support.codec import CONVERTER

NOTICE = "activity input project-cycle (the candidate-list notice)"
SHORTLIST = "update result shortlist"
FIXED = {NOTICE, SHORTLIST}
"""What no longer grows with the shortlist (issue #11 point 4)."""


async def test_with_everyone_shortlisted_at_5000_no_payload_passes_256_kb() -> None:
    at_5000 = await measure(5_000, CONVERTER)
    at_1000 = await measure(1_000, CONVERTER)
    assert [m.kind for m in at_5000] == [
        SHORTLIST,
        NOTICE,
        "update input record-vote",
        "activity input project-cycle (the vote)",
    ]
    for large, small in zip(at_5000, at_1000, strict=True):
        assert large.bytes <= LIMIT, large
        if large.kind in FIXED:
            assert large.bytes == small.bytes, (large, small)
            assert large.bytes < 2_048, large
        else:  # They still grow with the shortlist (so this measures the ones that matter).
            assert large.bytes > 4 * small.bytes, (large, small)


def test_the_shortlist_answers_a_number_and_the_candidate_list_comes_without_names() -> None:
    built = dict(payloads(10))
    assert built[SHORTLIST] == 10
    text = built[NOTICE].model_dump_json()  # type: ignore[attr-defined]
    assert "基准测试" not in text
    assert '"listing":"candidate_list"' in text
