"""What the service runs on, whatever it does: its settings from the environment (config),
one error shape for every failure (errors), security headers (headers), Redis (redis_client),
database connections (connections), migrations (migrations), gunicorn's worker
(gunicorn_worker) and RQ's (worker).

It imports no domain step, no API, no dashboard and no command. errors and worker reach the
store only to end a failed request's or job's transaction, and errors asks the rate limits
(access.limits) when a refused request may retry."""
