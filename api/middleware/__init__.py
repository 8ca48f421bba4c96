"""Pure ASGI middleware: body size limit, audit trail, idempotent commands."""
