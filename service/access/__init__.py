"""Who may do what and see what: bearer tokens and their cache (auth, token_cache), accounts,
each caller's scope (scope), what each role is shown of citizens' text (disclosure), the
audit trail (audit) and the rate limits (limits).

It imports the store, the models and the platform (errors, redis_client), never the
dashboard, the commands or the domain steps; the one call into the API is the limits asking,
lazily, whether a request replays a stored Idempotency-Key answer (service.api.responses).
"""
