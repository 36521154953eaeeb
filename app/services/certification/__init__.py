"""Certification: assignments, attempts, eligibility, practice."""
