"""The Temporal worker: owns the lists of workflows and activities."""
