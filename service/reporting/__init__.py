"""What officials and analysts read: the figures (KPIs and trends, summed from the per-day
facts, which figures keeps current), the theme reports and their files (reports), hot issues,
spike alerts, and the caches and queued jobs that keep the costly parts off the request
(report_cache, report_jobs).

It imports the store, the access layer (scopes) and the platform, and analytics for the
computing; never the API, the dashboard or the commands, which call it."""
