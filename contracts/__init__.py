"""What crosses the Temporal boundary: workflow inputs, commands, state and activity payloads.

Shared by `workflows/`, `activities/`, `db/`, `services/` and `sim/`; imports only `domain/`
and pydantic, so the database layer never imports workflow code. Everything here is part of
the workflows' histories: add optional fields, never rename or remove one.
"""
