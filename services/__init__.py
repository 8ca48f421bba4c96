"""Commands and queries shared by the HTTP API and the scenario simulator."""
