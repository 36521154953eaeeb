"""Derived tables kept exact before each commit (see derived.init_app)."""
