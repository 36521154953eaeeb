"""Integration: webhooks, outbox, change feed, idempotency keys."""
