"""Transport: the client's real address and scheme behind proxies, and HSTS."""

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Trust exactly as many X-Forwarded-* hops as there are proxies we run: a client can
        # add its own headers, and any hop beyond ours would let it choose its address.
        proxied = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,
                           x_host=proxies, x_port=proxies, x_prefix=proxies)
        app.wsgi_app = proxied  # type: ignore[method-assign]  # Flask documents wrapping it
    if app.config["HSTS_MAX_AGE"]:
        app.after_request(_strict_transport_security)


def _strict_transport_security(response: Response) -> Response:
    if request.is_secure:
        response.headers.setdefault(
            "Strict-Transport-Security",
            f"max-age={current_app.config['HSTS_MAX_AGE']}; includeSubDomains")
    return response
