"""Process-level plumbing of the Quality Award service: settings, logging, Temporal client, CLI."""
