"""Temporal activities: the only place where workflows touch the database."""
