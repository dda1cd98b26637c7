"""How the catalogue's images answer HTTP: nginx, httpd, kuard, http-echo, echo-server, the node example
apps, mongo-express, and mongod's answer to an HTTP client.

Registered with `http_handler` and called by the cluster network when a request reaches a container of
the image. Pages are the images' own (nginx's html/index.html and its error page, httpd's htdocs/index.html,
Apache's 404 page); each answer lets a learner see which pod served it (an echo server's hostname, the
`served_by` of the response).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from email.utils import format_datetime

from .http import AppContext, HttpRequest, HttpResponse, http_handler

Headers = tuple[tuple[str, str], ...]

NGINX_WELCOME = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""
# before nginx 1.21 the page had no color-scheme line and an indented style block (612 bytes)
NGINX_WELCOME_OLD = NGINX_WELCOME.replace(
    "html { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\n"
    "font-family: Tahoma, Verdana, Arial, sans-serif; }\n",
    "    body {\n        width: 35em;\n        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, "
    "sans-serif;\n    }\n")
NGINX_ERROR = """<html>
<head><title>{code} {reason}</title></head>
<body>
<center><h1>{code} {reason}</h1></center>
<hr><center>nginx/{version}</center>
</body>
</html>
"""
HTTPD_WORKS = "<html><body><h1>It works!</h1></body></html>\n"
HTTPD_NOT_FOUND = """<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>404 Not Found</title>
</head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
</body></html>
"""
MONGOD_OVER_HTTP = "It looks like you are trying to access MongoDB over HTTP on the native driver port.\n"
GO_NOT_FOUND = "404 page not found\n"  # net/http NotFound


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3])


def _date(ctx: AppContext) -> str:
    return format_datetime(ctx.api.clock.datetime(), usegmt=True)


def _body_for(req: HttpRequest, body: str) -> str:
    return "" if req.method == "HEAD" else body


def _answer(ctx: AppContext, req: HttpRequest, status: int, body: str, headers: Headers) -> HttpResponse:
    response = ctx.respond(status, body, headers)
    if req.method == "HEAD":
        return HttpResponse(response.status, "", response.headers, response.hops, response.served_by)
    return response


# --- nginx --------------------------------------------------------------------------------------------
def nginx(ctx: AppContext, req: HttpRequest) -> HttpResponse:
    version = ctx.spec.version(ctx.tag)
    common: Headers = (("Server", f"nginx/{version}"), ("Date", _date(ctx)))
    path = req.path.split("?", 1)[0]
    if path in ("/", "/index.html"):
        page = NGINX_WELCOME if _version_tuple(version) >= (1, 21) else NGINX_WELCOME_OLD
        return _answer(ctx, req, 200, page, (*common, ("Content-Type", "text/html"),
                                              ("Connection", "keep-alive"), ("Accept-Ranges", "bytes")))
    page = NGINX_ERROR.format(code=404, reason="Not Found", version=version)
    return _answer(ctx, req, 404, page, (*common, ("Content-Type", "text/html"), ("Connection", "keep-alive")))


# --- Apache httpd ---------------------------------------------------------------------------------------
def httpd(ctx: AppContext, req: HttpRequest) -> HttpResponse:
    server = f"Apache/{ctx.spec.version(ctx.tag)} (Unix)" if "library/httpd" in ctx.spec.repository else "Apache"
    common: Headers = (("Date", _date(ctx)), ("Server", server))
    if req.path.split("?", 1)[0] in ("/", "/index.html"):
        return _answer(ctx, req, 200, HTTPD_WORKS, (*common, ("Accept-Ranges", "bytes"),
                                                    ("Content-Type", "text/html")))
    return _answer(ctx, req, 404, HTTPD_NOT_FOUND, (*common, ("Content-Type", "text/html; charset=iso-8859-1")))


# --- kuard ----------------------------------------------------------------------------------------------
def kuard(ctx: AppContext, req: HttpRequest) -> HttpResponse:
    path = req.path.split("?", 1)[0]
    version = f"v0.10.0-{ctx.tag}"
    if path in ("/healthy", "/ready"):
        return _answer(ctx, req, 200, "ok", (("Content-Type", "text/plain"),))
    if path in ("/env", "/-/env/api"):
        body = json.dumps({"commandLine": ["/kuard"], "env": ctx.env or {}}, sort_keys=True)
        return _answer(ctx, req, 200, body, (("Content-Type", "application/json"),))
    if path != "/" and not path.startswith("/-/"):
        return _answer(ctx, req, 404, GO_NOT_FOUND, (("Content-Type", "text/plain; charset=utf-8"),))
    context = json.dumps({"hostname": ctx.hostname, "addrs": [ctx.pod_ip], "version": version,
                          "requestProto": "HTTP/1.1", "requestAddr": ""})
    page = ("<!doctype html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
            "  <title>KUAR Demo</title>\n  <link rel=\"stylesheet\" href=\"/static/css/bootstrap.min.css\">\n"
            "  <link rel=\"stylesheet\" href=\"/static/css/styles.css\">\n  <script>\nvar pageContext = "
            f"{context};\n  </script>\n</head>\n\n<body>\n  <div id=\"root\"></div>\n  "
            "<script src=\"/built/bundle.js\" type=\"text/javascript\"></script>\n</body>\n</html>\n")
    return _answer(ctx, req, 200, page, (("Content-Type", "text/html"),))


# --- echo servers and the node example apps -------------------------------------------------------------
def echo_server(ctx: AppContext, req: HttpRequest) -> HttpResponse:
    """ealen/echo-server: the request and the serving container's environment as JSON."""
    headers = {k.lower(): v for k, v in (("host", req.authority), ("user-agent", "curl/7.88.1"),
                                         ("accept", "*/*"), *req.headers)}
    path, _, query = req.path.partition("?")
    body = json.dumps({
        "host": {"hostname": req.host, "ip": f"::ffff:{ctx.pod_ip}", "ips": []},
        "http": {"method": req.method, "baseUrl": "", "originalUrl": req.path, "protocol": req.scheme},
        "request": {"params": {"0": path}, "query": dict(p.split("=", 1) if "=" in p else (p, "")
                                                         for p in query.split("&") if p),
                    "cookies": {}, "body": {}, "headers": headers},
        "environment": {"PATH": (ctx.env or {}).get("PATH", ""), "HOSTNAME": ctx.hostname,
                        **{k: v for k, v in sorted((ctx.env or {}).items()) if k not in ("PATH", "HOSTNAME")}},
    })
    return _answer(ctx, req, 200, body, (("X-Powered-By", "Express"),
                                         ("Content-Type", "application/json; charset=utf-8")))


def node_app(ctx: AppContext, req: HttpRequest) -> HttpResponse:
    """The notes' node.js examples (their own pages are not published): a greeting naming the pod."""
    body = f"Hello from {ctx.hostname} ({ctx.pod_ip}), you asked for {req.path}\n"
    return _answer(ctx, req, 200, body, (("X-Powered-By", "Express"), ("Content-Type", "text/html; charset=utf-8")))


def routes_only(ctx: AppContext, req: HttpRequest) -> HttpResponse:
    """Images known only by their health routes (the control-plane and CoreDNS images): `ok` or 404."""
    path = req.path.split("?", 1)[0]
    status = ctx.spec.routes.get(path, ctx.spec.routes.get("*", 404))
    body = "ok" if status == 200 else GO_NOT_FOUND
    return _answer(ctx, req, status, body, (("Content-Type", "text/plain; charset=utf-8"),))


SERVERS: dict[str, Callable[[AppContext, HttpRequest], HttpResponse]] = {
    "docker.io/library/nginx": nginx,
    "docker.io/library/httpd": httpd,
    "docker.io/bitnami/apache": httpd,
    "gcr.io/kuar-demo/kuard-amd64": kuard,
    "docker.io/ealen/echo-server": echo_server,
    "docker.io/jonbaier/node-express-info": node_app,
    "docker.io/punitporwal07/myapp": node_app,
}


@http_handler("server")
def server(ctx: AppContext, req: HttpRequest) -> HttpResponse:
    return SERVERS.get(ctx.spec.repository, routes_only)(ctx, req)


# --- hashicorp/http-echo --------------------------------------------------------------------------------
@http_handler("http-echo")
def http_echo(ctx: AppContext, req: HttpRequest) -> HttpResponse:
    """Answers every path with its -text and a newline (hashicorp/http-echo main.go); /health is JSON."""
    argv = [*(ctx.container.get("command") or ()), *(ctx.container.get("args") or ())]
    text = ""
    for i, arg in enumerate(argv):
        if arg.startswith(("-text=", "--text=")):
            text = arg.split("=", 1)[1]
        elif arg in ("-text", "--text") and i + 1 < len(argv):
            text = argv[i + 1]
    version = ctx.spec.version(ctx.tag)
    headers: Headers = (("X-App-Name", "http-echo"), ("X-App-Version", version), ("Date", _date(ctx)),
                        ("Content-Type", "text/plain; charset=utf-8"))
    if req.path.split("?", 1)[0] == "/health":
        return _answer(ctx, req, 200, '{"status":"ok"}\n', headers)
    return _answer(ctx, req, 200, text + "\n", headers)


# --- mongo-express and mongod ---------------------------------------------------------------------------
@http_handler("mongo-express")
def mongo_express(ctx: AppContext, req: HttpRequest) -> HttpResponse:
    """The mongo-express UI's home page (its databases are not listed by the simulator)."""
    page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
            "  <title>Home - Mongo Express</title>\n</head>\n<body>\n  <div class=\"navbar\">"
            "<a class=\"brand\" href=\"/\">Mongo Express</a></div>\n  <h1>Mongo Express</h1>\n"
            f"  <p>Server: {(ctx.env or {}).get('ME_CONFIG_MONGODB_SERVER', 'mongo')}</p>\n</body>\n</html>\n")
    return _answer(ctx, req, 200, page, (("X-Powered-By", "Express"), ("Content-Type", "text/html; charset=utf-8")))


@http_handler("mongo")
def mongod(ctx: AppContext, req: HttpRequest) -> HttpResponse:
    """mongod on its driver port answers an HTTP client with one plain line (transport_layer_asio)."""
    response = ctx.respond(200, MONGOD_OVER_HTTP, (("Connection", "close"), ("Content-Type", "text/plain")))
    return response
