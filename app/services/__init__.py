"""Use cases: load models, call the domain rules, save the result (with outbox events)."""
