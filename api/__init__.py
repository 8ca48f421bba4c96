"""HTTP API (DESIGN.md §7): FastAPI app, routers per resource, auth and error handling."""
