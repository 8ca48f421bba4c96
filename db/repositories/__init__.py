"""All SQL lives here, one module per feature (STYLE habit 4).

A repository function takes a synchronous `Session` and neither commits nor raises domain
errors: the caller owns the transaction (the request, an activity, the simulator) and
decides what a missing row means. Async callers run one through `AsyncSession.run_sync`,
so the same function serves a request, an activity (`Database.run`) and the simulator.
"""
