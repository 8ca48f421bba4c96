"""Pure rules of the Qingyuan County Government Quality Award (DESIGN.md §3).

No I/O at call time, no clock, no randomness: imported by workflows inside Temporal's
sandbox, by activities and by the API. Every rule is implemented once, here.
"""
