"""Running the app in production (issue 19): health checks, metrics, logs, scheduled jobs, document storage."""
