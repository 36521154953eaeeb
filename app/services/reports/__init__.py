"""Reporting upkeep that runs on a schedule: the weekly snapshots of the readiness trend."""
