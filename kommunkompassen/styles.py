"""Terminal colours (rich markup) of file statuses and check severities, shared by the ingest progress
and the views; a module of its own so that `ingest` starts without importing the analyst API (pandas)."""

STATUS_STYLE = {"ingested": "green", "skipped": "yellow", "failed": "red"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow"}
