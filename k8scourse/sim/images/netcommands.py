"""The network tools of the simulated shell images: nslookup, curl, wget, ping and nc.

Registered into the shell's command table (`commands.COMMANDS`) when `commands.py` is imported; called by
the shell and by `kubectl exec pod -- curl ...`. They reach the cluster through the pod's view of the
cluster network (`ctx.network`). Output is worded as the real tools word it: busybox 1.36's nslookup
(networking/nslookup.c: `Server:`/`Address:` header, one block per reply, `** server can't find`), wget
(networking/wget.c), ping and nc; curl 8's messages (lib/connect.c `Failed to connect to %s port %u after
%ld ms: %s`, lib/strerror.c, src/tool_operate.c `curl: (%d) %s`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .commands import command
from .process import Out, Program, Sleep

if TYPE_CHECKING:
    from ..network.http import HttpRequest, HttpResponse
    from .shell import Shell

CURL_VERSION = "8.5.0"
# how long a connection into nowhere takes to give up: the SYN sent 7 times, 1+2+...+64 seconds
SYN_TIMEOUT_MS = 127000


def _http(shell: Shell, request: HttpRequest) -> HttpResponse:
    """The response the container's network gives (a network without a cluster resolves nothing)."""
    from ..network.http import failure

    network: Any = shell.ctx.network
    if hasattr(network, "http"):
        return network.http(request)
    if network.resolve(request.host) is None:
        return failure(f"Could not resolve host: {request.host}")
    return failure("Connection refused")


def _address(response: HttpResponse, host: str) -> str:
    """The IP the client connected to: what DNS gave for the name, else the host itself."""
    return next((hop.address for hop in response.hops if hop.kind == "DNS"), host)


# --- nslookup (busybox) -----------------------------------------------------------------------------------
@command("nslookup")
def _nslookup(argv: list[str], shell: Shell, stdin: str) -> Program:
    from ..network.dns import NAMESERVER, NODE_NAMESERVER, is_ip

    operands = [a for a in argv[1:] if not a.startswith("-")]
    if not operands:
        yield Out("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
                  "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\n"
                  "Query DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n", "stderr")
        return 1
    host = operands[0].lower()
    network: Any = shell.ctx.network
    dns = getattr(network, "dns", None)
    if dns is None or not dns.serving():
        # every query to the nameserver went unanswered (no CoreDNS pod is Ready, or no cluster DNS)
        yield Out(";; connection timed out; no servers could be reached\n\n")
        return 1
    server = operands[1] if len(operands) > 1 else NAMESERVER
    yield Out(f"Server:\t\t{server}\nAddress:\t{server}:53\n\n")
    if server not in (NAMESERVER, NODE_NAMESERVER) and not is_ip(server):
        return 1
    status = 0
    for name, qtype in _queries(host, network):
        text, failed = _reply(dns, name, qtype, network)
        status = 1 if failed else status
        yield Out(text + "\n")
    return status


def _queries(host: str, network: Any) -> list[tuple[str, str]]:
    """busybox's add_query_with_search: a dotless name under each search domain, A queries then AAAA."""
    from ..network.dns import is_ip, search_domains

    if is_ip(host):
        return [(".".join(reversed(host.split("."))) + ".in-addr.arpa", "PTR")]
    names = [host.rstrip(".")]
    if "." not in host and network.namespace is not None:
        names = [f"{host}.{domain}" for domain in search_domains(network.namespace)]
    return [(name, "A") for name in names] + [(name, "AAAA") for name in names]


def _reply(dns: Any, name: str, qtype: str, network: Any) -> tuple[str, bool]:
    """One reply as busybox's parse_reply prints it, and whether it was an error."""
    if qtype == "PTR":
        address = ".".join(reversed(name.removesuffix(".in-addr.arpa").split(".")))
        svc = network.network.proxy.at_cluster_ip(address)
        if svc is None:
            return f"** server can't find {name}: NXDOMAIN\n", True
        meta = svc["metadata"]
        return f"{name}\tname = {meta['name']}.{meta['namespace']}.svc.cluster.local\n", False
    answer = dns.query(name, qtype)
    if answer.rcode != "NOERROR":
        return f"** server can't find {name}: {answer.rcode}\n", True
    lines = f"{name}\tcanonical name = {answer.cname}\n" if answer.cname else ""
    owner = answer.cname or name
    lines += "".join(f"Name:\t{owner}\nAddress: {address}\n" for address in answer.addresses)
    return lines, False


# --- curl ---------------------------------------------------------------------------------------------------
CURL_FLAGS = {"s": "silent", "S": "show-error", "v": "verbose", "I": "head", "i": "include", "f": "fail",
              "L": "location", "k": "insecure"}
CURL_VALUES = {"o": "output", "w": "write-out", "X": "request", "H": "header", "d": "data", "m": "max-time",
               "A": "user-agent"}


def _curl_options(args: list[str]) -> tuple[dict[str, Any], list[str]] | str:
    opts: dict[str, Any] = {"header": []}
    urls: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            if name in CURL_VALUES.values() or name == "connect-timeout":
                if not eq:
                    i += 1
                    if i >= len(args):
                        return f"option {arg}: requires parameter"
                    value = args[i]
                _set(opts, name, value)
            elif name in CURL_FLAGS.values():
                opts[name] = True
            else:
                return f"option {arg}: is unknown"
        elif arg.startswith("-") and len(arg) > 1:
            for j, letter in enumerate(arg[1:], start=1):
                if letter in CURL_FLAGS:
                    opts[CURL_FLAGS[letter]] = True
                elif letter in CURL_VALUES:
                    value = arg[j + 1:]
                    if not value:
                        i += 1
                        if i >= len(args):
                            return f"option -{letter}: requires parameter"
                        value = args[i]
                    _set(opts, CURL_VALUES[letter], value)
                    break
                else:
                    return f"option -{letter}: is unknown"
        else:
            urls.append(arg)
        i += 1
    return opts, urls


def _set(opts: dict[str, Any], name: str, value: str) -> None:
    if name == "header":
        opts["header"].append(value)
    else:
        opts[name] = value


@command("curl")
def _curl(argv: list[str], shell: Shell, stdin: str) -> Program:
    from ..network.http import HttpRequest

    parsed = _curl_options(argv[1:])
    if isinstance(parsed, str):
        yield Out(f"curl: {parsed}\ncurl: try 'curl --help' or 'curl --manual' for more information\n", "stderr")
        return 2
    opts, urls = parsed
    if not urls:
        yield Out("curl: try 'curl --help' or 'curl --manual' for more information\n", "stderr")
        return 2
    method = opts.get("request") or ("HEAD" if opts.get("head") else "POST" if "data" in opts else "GET")
    headers = tuple((k.strip(), v.strip()) for k, _, v in (h.partition(":") for h in opts["header"]))
    status = 0
    for url in urls:
        request = HttpRequest(url, method, headers, opts.get("data", ""))
        response = _http(shell, request)
        status = yield from _curl_output(shell, opts, request, response)
    return status


def _curl_output(shell: Shell, opts: dict[str, Any], request: HttpRequest, response: HttpResponse) -> Program:
    verbose, silent = opts.get("verbose"), opts.get("silent") and not opts.get("show-error")
    address = _address(response, request.host)
    if verbose and response.status:
        yield Out(f"*   Trying {address}:{request.port}...\n* Connected to {request.host} ({address}) port "
                  f"{request.port}\n> {request.method} {request.path} HTTP/1.1\n> Host: {request.authority}\n"
                  f"> User-Agent: curl/{CURL_VERSION}\n> Accept: */*\n>\n", "stderr")
    code = _curl_error_code(response, opts)
    if code:
        if not silent:
            yield Out(f"curl: ({code}) {_curl_error(response, request, address, opts)}\n", "stderr")
        if "write-out" in opts:
            yield Out(_write_out(opts["write-out"], response, request))
        return code
    head = "".join(f"{k}: {v}\r\n" for k, v in response.headers)
    if verbose:
        yield Out(f"< {response.status_line}\r\n" + "".join(f"< {k}: {v}\r\n" for k, v in response.headers)
                  + "<\r\n", "stderr")
    text = ""
    if opts.get("head") or opts.get("include"):
        text = f"{response.status_line}\r\n{head}\r\n"
    if not opts.get("head"):
        text += response.body
    output = opts.get("output")
    if output and output != "-":
        if output != "/dev/null":
            shell.ctx.files[output] = text
    else:
        yield Out(text)
    if "write-out" in opts:
        yield Out(_write_out(opts["write-out"], response, request))
    return 0


def _curl_error_code(response: HttpResponse, opts: dict[str, Any]) -> int:
    if response.status == 0:
        error = response.error
        if error.startswith("Could not resolve host"):
            return 6
        if error.startswith("Protocol"):
            return 1
        return {"Connection timed out": 28, "Empty reply from server": 52}.get(error, 7)
    return 22 if opts.get("fail") and response.status >= 400 else 0


def _curl_error(response: HttpResponse, request: HttpRequest, address: str, opts: dict[str, Any]) -> str:
    error = response.error
    if response.status >= 400:
        return f"The requested URL returned error: {response.status}"
    if error.startswith(("Could not resolve host", "Protocol", "Empty reply")):
        return f'{error} or disabled in libcurl' if error.startswith("Protocol") else error
    limit = opts.get("connect-timeout") or opts.get("max-time")
    if error == "Connection timed out" and limit:
        millis = int(float(limit) * 1000)
        return f"Failed to connect to {request.host} port {request.port} after {millis} ms: Timeout was reached"
    millis = SYN_TIMEOUT_MS if error == "Connection timed out" else 0
    return f"Failed to connect to {request.host} port {request.port} after {millis} ms: Couldn't connect to server"


def _write_out(fmt: str, response: HttpResponse, request: HttpRequest) -> str:
    values = {"http_code": f"{response.status:03d}", "response_code": f"{response.status:03d}",
              "url_effective": request.url, "remote_ip": _address(response, request.host),
              "remote_port": str(request.port), "size_download": str(len(response.body.encode()))}
    text = re.sub(r"%\{(\w+)\}", lambda m: values.get(m.group(1), ""), fmt)
    return text.replace("\\n", "\n").replace("\\t", "\t")


# --- wget (busybox) -------------------------------------------------------------------------------------------
@command("wget")
def _wget(argv: list[str], shell: Shell, stdin: str) -> Program:
    from ..network.http import HttpRequest

    quiet, output, spider, urls = False, None, False, []
    args = argv[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--spider":
            spider = True
        elif arg.startswith("-") and len(arg) > 1 and not arg.startswith("--"):
            letters = arg[1:]
            for j, letter in enumerate(letters):
                quiet = quiet or letter == "q"
                if letter in "OTUoP":
                    value = letters[j + 1:]
                    if not value:
                        i += 1
                        value = args[i] if i < len(args) else ""
                    output = value if letter == "O" else output
                    break
        elif arg.startswith("--"):
            quiet = quiet or arg == "--quiet"
        else:
            urls.append(arg)
        i += 1
    if not urls:
        yield Out("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] "
                  "[-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n"
                  "\t[-P DIR] [-U AGENT] [-T SEC] URL...\n", "stderr")
        return 1
    request = HttpRequest(urls[0], "HEAD" if spider else "GET")
    response = _http(shell, request)
    address = _address(response, request.host)
    if response.status == 0:
        yield Out(_wget_error(response, request, address), "stderr")
        return 1
    if not quiet:
        yield Out(f"Connecting to {request.authority} ({address}:{request.port})\n", "stderr")
    if response.status >= 400:
        yield Out(f"wget: server returned error: {response.status_line}\n", "stderr")
        return 1
    if spider:
        if not quiet:
            yield Out("remote file exists\n", "stderr")
        return 0
    name = output or (request.path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or "index.html")
    if name != "-" and name in shell.ctx.files and output is None:
        yield Out(f"wget: can't open '{name}': File exists\n", "stderr")
        return 1
    size = len(response.body.encode())
    if not quiet:
        yield Out("writing to stdout\n" if name == "-" else f"saving to '{name}'\n", "stderr")
    if name == "-":
        yield Out(response.body)
    else:
        shell.ctx.files[name] = response.body
    if not quiet:
        yield Out(f"{name:<20} 100% |{'*' * 32}| {size:5d}  0:00:00 ETA\n", "stderr")
        yield Out("written to stdout\n" if name == "-" else f"'{name}' saved\n", "stderr")
    return 0


def _wget_error(response: HttpResponse, request: HttpRequest, address: str) -> str:
    error = response.error
    if error.startswith("Could not resolve host"):
        return f"wget: bad address '{request.host}'\n"
    if error == "Connection timed out":
        return "wget: download timed out\n"
    if error == "Empty reply from server":
        return "wget: error getting response: Connection reset by peer\n"
    reason = "Host is unreachable" if error == "No route to host" else error
    return f"wget: can't connect to remote host ({address}): {reason}\n"


# --- ping and nc (busybox) ------------------------------------------------------------------------------------
@command("ping")
def _ping(argv: list[str], shell: Shell, stdin: str) -> Program:
    args = argv[1:]
    count = None
    if "-c" in args and args.index("-c") + 1 < len(args):
        count = int(args[args.index("-c") + 1]) if args[args.index("-c") + 1].isdigit() else None
    hosts = [a for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or args[i - 1] != "-c")]
    if not hosts:
        yield Out("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n",
                  "stderr")
        return 1
    host = hosts[0]
    network: Any = shell.ctx.network
    address = network.resolve(host)
    if address is None:
        yield Out(f"ping: bad address '{host}'\n", "stderr")
        return 1
    # ClusterIPs are virtual: kube-proxy's rules only rewrite TCP/UDP to their ports, so no echo reply comes
    answers = not (hasattr(network, "network") and network.network.proxy.at_cluster_ip(address) is not None)
    yield Out(f"PING {host} ({address}): 56 data bytes\n")
    sent = 0
    while count is None or sent < count:
        if answers:
            yield Out(f"64 bytes from {address}: seq={sent} ttl=64 time=0.081 ms\n")
        sent += 1
        if count is None or sent < count:
            yield Sleep(1.0, background=count is None)
    received = sent if answers else 0
    loss = 0 if answers else 100
    yield Out(f"\n--- {host} ping statistics ---\n{sent} packets transmitted, {received} packets received, "
              f"{loss}% packet loss\n")
    if answers:
        yield Out("round-trip min/avg/max = 0.081/0.081/0.081 ms\n")
    return 0 if answers else 1


@command("nc")
def _nc(argv: list[str], shell: Shell, stdin: str) -> Program:
    args = [a for a in argv[1:] if not a.startswith("-")]
    verbose = any(a.startswith("-") and "v" in a for a in argv[1:])
    if len(args) < 2 or not args[1].isdigit():
        yield Out("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT"
                  "  - connect\n", "stderr")
        return 1
    host, port = args[0], int(args[1])
    result = shell.ctx.network.connect(host, port)
    if not result.ok and result.error in ("ENOTFOUND", "EAI_AGAIN"):
        yield Out(f"nc: bad address '{host}'\n", "stderr")
        return 1
    if result.ok:
        if verbose:
            yield Out(f"{host} ({result.address}:{port}) open\n", "stderr")
        return 0
    reason = {"ECONNREFUSED": "Connection refused", "ETIMEDOUT": "Connection timed out",
              "EHOSTUNREACH": "Host is unreachable"}.get(result.error, "Connection refused")
    yield Out(f"nc: {host} ({result.address or host}:{port}): {reason}\n", "stderr")
    return 1
