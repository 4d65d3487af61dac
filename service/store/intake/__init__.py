"""Writing what citizens send (ratings, messages, a rating's integrity flags) and the
Idempotency-Key answers that make a retried POST create nothing; reading messages back."""
