"""Request ids and request logs.

Every request gets an id: the proxy's X-Request-ID when it is a plain token, otherwise a new
one; it goes back in the response header and onto every log line written while the request
runs, so one line in the proxy's log finds all of the app's. With LMS_LOG_FORMAT=json the
app logs one JSON object per line (python-json-logger) for a log collector to index."""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only when it cannot smuggle anything into a log line.
_PLAIN_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = logging.getLogger("lms.requests")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or "-") on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    if app.config.get("LOG_FORMAT") == "json":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}))
        handler.addFilter(RequestIdFilter())
        root = logging.getLogger()
        root.handlers[:] = [handler]
        root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
        app.logger.handlers.clear()  # Flask's own handler would print each line twice
        app.logger.propagate = True
        # /readyz asks Alembic for the schema's revision, which it notes at INFO every time.
        logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)


def _start() -> None:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = offered if _PLAIN_ID.match(offered) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id is None:  # a request that failed before _start ran
        return response
    response.headers[REQUEST_ID_HEADER] = request_id
    if request.endpoint != "static":
        # The path without its query string: queries can hold one-time tokens.
        log.info("request", extra={
            "method": request.method, "path": request.path, "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
            # Only a user already loaded by the page: logging must not add a query.
            "user_id": getattr(g.get("_login_user"), "id", None),
            "request_id": request_id})
    return response
