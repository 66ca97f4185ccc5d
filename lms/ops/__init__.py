"""Running the app in production: a request id on every request and log line, one JSON
log line per request (LMS_LOG_FORMAT=json), and liveness/readiness endpoints."""

from lms.ops.request_log import init_app

__all__ = ["init_app"]
