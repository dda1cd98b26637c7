"""What each simulated image does once its container starts: the programs named by the catalogue.

Called by `launch()` (below), which the kubelet's container runner and exec use to turn a container's
command/args into a program. Servers log their start-up lines and listen; databases check the
environment their entrypoint needs and fail with the real entrypoint's words; shell images run their
command through the small shell.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from .catalogue import ImageSpec, MiB
from .commands import COMMANDS, duration, run_command
from .process import Listen, Out, Program, ProgramContext, Serve, Sleep, UseMemory
from .shell import Shell, run_sh

ImageProgram = Callable[[ImageSpec, str, ProgramContext], Program]
PROGRAMS: dict[str, ImageProgram] = {}
SHELLS = ("sh", "bash")  # Debian-based images; busybox and alpine list theirs in params["shells"]


def program(name: str) -> Callable[[ImageProgram], ImageProgram]:
    def register(fn: ImageProgram) -> ImageProgram:
        PROGRAMS[name] = fn
        return fn

    return register


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3])


def log_lines(spec: ImageSpec, tag: str, ctx: ProgramContext, lines: tuple[str, ...] | list[str]) -> Program:
    now = ctx.now()
    fields = {"now": now, "millis": now.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] if now else "", "version": spec.version(tag), "tag": tag, "ip": ctx.pod_ip, "host": ctx.hostname}
    for line in lines:
        yield Out(line.format(**fields) + "\n")
    return 0


@program("server")
def serve(spec: ImageSpec, tag: str, ctx: ProgramContext) -> Program:
    lines = spec.logs
    since = spec.params.get("entrypoint_logs_since")
    if since and _version_tuple(spec.version(tag)) < _version_tuple(since):
        lines = ()  # images before nginx 1.19 had no docker-entrypoint.d and logged nothing at start-up
    yield UseMemory(spec.memory)
    yield from log_lines(spec, tag, ctx, lines)
    port_env = spec.params.get("port_env")
    ports = (int(ctx.env[port_env]),) if port_env and ctx.env.get(port_env, "").isdigit() else spec.ports
    for port in ports:
        yield Listen(port)
    yield Serve()
    return 0


@program("pause")
def pause(spec: ImageSpec, tag: str, ctx: ProgramContext) -> Program:
    yield Serve()
    return 0


@program("http-echo")
def http_echo(spec: ImageSpec, tag: str, ctx: ProgramContext) -> Program:
    listen = next((a.split("=", 1)[1] for a in ctx.argv if a.startswith("-listen=")), ":5678")
    yield UseMemory(spec.memory)
    yield Out(f"{ctx.now():%Y/%m/%d %H:%M:%S} [INFO] server is listening on {listen}\n", "stderr")
    yield Listen(int(listen.rsplit(":", 1)[1]))
    yield Serve()
    return 0


@program("shell")
def shell_image(spec: ImageSpec, tag: str, ctx: ProgramContext) -> Program:
    """busybox/alpine/ubuntu with no command: `sh` without a terminal reads nothing and exits 0."""
    return 0
    yield  # pragma: no cover


def _mongo_log(ctx: ProgramContext, component: str, log_id: int, msg: str, attr: str = "") -> Out:
    stamp = ctx.now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+00:00"
    tail = f',"attr":{attr}' if attr else ""
    return Out(f'{{"t":{{"$date":"{stamp}"}},"s":"I",  "c":"{component}", "id":{log_id},   "ctx":"main",'
               f'"msg":"{msg}"{tail}}}\n')


@program("mongo")
def mongo(spec: ImageSpec, tag: str, ctx: ProgramContext) -> Program:
    user, password = ctx.env.get("MONGO_INITDB_ROOT_USERNAME"), ctx.env.get("MONGO_INITDB_ROOT_PASSWORD")
    if bool(user) != bool(password):
        # docker-library/mongo docker-entrypoint.sh
        yield Out("\nerror: missing 'MONGO_INITDB_ROOT_USERNAME' or 'MONGO_INITDB_ROOT_PASSWORD'\n"
                  "       both must be specified for a user to be created\n\n", "stderr")
        return 1
    yield UseMemory(spec.memory)
    db_path = ctx.argv[ctx.argv.index("--dbpath") + 1] if "--dbpath" in ctx.argv[:-1] else "/data/db"
    # docker-entrypoint.sh: initdb (the root user) only when the data directory holds no database yet
    fresh = not any(f"{db_path}/{name}" in ctx.files for name in ("WiredTiger", "storage.bson"))
    _write_data(ctx, db_path, {"WiredTiger": "WiredTiger\nWiredTiger 11.3.0\n", "storage.bson": "",
                               "journal/WiredTigerLog.0000000001": "", "mongod.lock": "1\n"})
    if user and fresh:
        yield Sleep(2.0)
        yield Out(f"Successfully added user: {{\n\t\"user\" : \"{user}\",\n\t\"roles\" : [\n\t\t{{\n\t\t\t\"role\" : "
                  "\"root\",\n\t\t\t\"db\" : \"admin\"\n\t\t}\n\t]\n}\n")
    version = spec.version(tag)
    yield _mongo_log(ctx, "CONTROL", 23285, "Automatically disabling TLS 1.0, to force-enable TLS 1.0 specify "
                     "--sslDisabledProtocols 'none'")
    yield _mongo_log(ctx, "CONTROL", 4615611, "MongoDB starting",
                     f'{{"pid":1,"port":27017,"dbPath":"/data/db","architecture":"64-bit","host":"{ctx.hostname}"}}')
    yield _mongo_log(ctx, "CONTROL", 23403, "Build Info", f'{{"buildInfo":{{"version":"{version}"}}}}')
    yield Sleep(1.0)
    yield _mongo_log(ctx, "NETWORK", 23015, "Listening on", '{"address":"0.0.0.0"}')
    yield Listen(27017)
    yield _mongo_log(ctx, "NETWORK", 23016, "Waiting for connections", '{"port":27017,"ssl":"off"}')
    yield Serve()
    return 0


POSTGRES_NO_PASSWORD = """Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.

       See PostgreSQL documentation about "trust":
       https://www.postgresql.org/docs/current/auth-trust.html
"""


@program("postgres")
def postgres(spec: ImageSpec, tag: str, ctx: ProgramContext) -> Program:
    data = ctx.env.get("PGDATA", "/var/lib/postgresql/data")
    exists = f"{data}/PG_VERSION" in ctx.files  # docker-entrypoint.sh DATABASE_ALREADY_EXISTS
    if not exists and not ctx.env.get("POSTGRES_PASSWORD") and ctx.env.get("POSTGRES_HOST_AUTH_METHOD") != "trust":
        yield Out(POSTGRES_NO_PASSWORD, "stderr")  # docker-library/postgres docker-entrypoint.sh
        return 1
    yield UseMemory(spec.memory)
    if exists:
        yield Out("\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n")
    else:
        _write_data(ctx, data, {"PG_VERSION": spec.version(tag).split(".")[0] + "\n", "postgresql.conf": "",
                                "pg_hba.conf": "", "base/1/PG_VERSION": "", "global/pg_control": ""})
    yield from log_lines(spec, tag, ctx, () if exists else (
        "The files belonging to this database system will be owned by user \"postgres\".",
        "This user must also own the server process.",
        "",
        "Success. You can now start the database server using:",
        "",
        "PostgreSQL init process complete; ready for start up.",
        "",
    ))
    yield Sleep(3.0)
    yield from log_lines(spec, tag, ctx, (
        "{millis} UTC [1] LOG:  starting PostgreSQL {version} on x86_64-pc-linux-gnu",
        "{millis} UTC [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432",
        "{millis} UTC [1] LOG:  database system is ready to accept connections",
    ))
    yield Listen(5432)
    yield Serve()
    return 0


def _write_data(ctx: ProgramContext, directory: str, files: dict[str, str]) -> None:
    """A database writing its data directory (kept as long as the volume mounted there, if any)."""
    for name, content in files.items():
        path = f"{directory}/{name}"
        if path not in ctx.files:
            with contextlib.suppress(Exception):  # a read-only mount: the server reports nothing here
                ctx.files[path] = content


@program("mysql")
def mysql(spec: ImageSpec, tag: str, ctx: ProgramContext) -> Program:
    stamp = ctx.now().strftime("%Y-%m-%d %H:%M:%S+00:00")
    version = spec.version(tag)
    yield Out(f"{stamp} [Note] [Entrypoint]: Entrypoint script for MySQL Server {version}-1.el9 started.\n")
    exists = "/var/lib/mysql/mysql.ibd" in ctx.files  # docker-entrypoint.sh DATABASE_ALREADY_EXISTS
    if not exists and not any(ctx.env.get(k) for k in ("MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD",
                                        "MYSQL_RANDOM_ROOT_PASSWORD")):
        # docker-library/mysql docker-entrypoint.sh
        yield Out(f"{stamp} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n"
                  "    You need to specify one of the following as an environment variable:\n"
                  "    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD\n",
                  "stderr")
        return 1
    yield UseMemory(spec.memory)
    if not exists:
        yield Out(f"{stamp} [Note] [Entrypoint]: Initializing database files\n")
        yield Sleep(12.0)
        _write_data(ctx, "/var/lib/mysql", {"mysql.ibd": "", "ibdata1": "", "auto.cnf": "", "mysql/.keep": ""})
        yield Out(f"{stamp} [Note] [Entrypoint]: MySQL init process done. Ready for start up.\n")
    ready = ctx.now().strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
    yield Out(f"{ready} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: "
              f"'{version}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n")
    yield Listen(3306)
    yield Serve()
    return 0


@program("mongo-express")
def mongo_express(spec: ImageSpec, tag: str, ctx: ProgramContext) -> Program:
    """mongo-express-docker's docker-entrypoint.sh (wait_tcp_port: five tries a second apart through bash's
    /dev/tcp), then `node app` connecting with the mongodb 3.x driver."""
    host = ctx.env.get("ME_CONFIG_MONGODB_SERVER", "mongo")
    port = int(ctx.env.get("ME_CONFIG_MONGODB_PORT", "27017") or 27017)
    yield UseMemory(spec.memory)
    yield Out(f"Waiting for {host}:{port}...\n")
    tries = 5
    for attempt in range(1, tries + 1):
        result = ctx.network.connect(host, port)
        if result.ok:
            break
        yield from _dev_tcp_failure(host, port, result.error)
        if attempt < tries:
            yield Sleep(1.0)
            yield Out(f"{_busybox_date(ctx)} retrying to connect to {host}:{port} ({attempt + 1}/{tries})\n")
    yield Out("Welcome to mongo-express\n------------------------\n\n\n")
    yield Out("(node:7) [MONGODB DRIVER] Warning: Current Server Discovery and Monitoring engine is deprecated, and "
              "will be removed in a future version. To use the new Server Discover and Monitoring engine, pass "
              "option { useUnifiedTopology: true } to the MongoClient constructor.\n", "stderr")
    if not result.ok:
        yield from _driver_failure(ctx, host, port, result.error, result.address)
        return 1
    yield Out("Mongo Express server listening at http://0.0.0.0:8081\n"
              "Server is open to allow connections from anyone (0.0.0.0)\n"
              "basicAuth credentials are \"admin:pass\", it is recommended you change this in your config.js!\n"
              "Database connected\nAdmin Database connected\n")
    yield Listen(8081)
    yield Serve()
    return 0


def _dev_tcp_failure(host: str, port: int, error: str) -> Program:
    """What bash prints when `exec 6<>/dev/tcp/HOST/PORT` fails (musl's gai_strerror for names)."""
    if error in ("ENOTFOUND", "EAI_AGAIN"):
        if error == "EAI_AGAIN":
            yield Sleep(10.0)  # two 5-second tries at the nameserver
        yield Out(f"/docker-entrypoint.sh: line 15: {host}: "
                  f"{'Name does not resolve' if error == 'ENOTFOUND' else 'Try again'}\n", "stderr")
        yield Out(f"/docker-entrypoint.sh: line 15: /dev/tcp/{host}/{port}: Invalid argument\n", "stderr")
        return 0
    reason = {"ETIMEDOUT": "Connection timed out", "EHOSTUNREACH": "No route to host"}.get(error, "Connection refused")
    if error == "ETIMEDOUT":
        yield Sleep(127.0)  # the SYN retried until the kernel gives up
    yield Out(f"/docker-entrypoint.sh: connect: {reason}\n", "stderr")
    yield Out(f"/docker-entrypoint.sh: line 15: /dev/tcp/{host}/{port}: {reason}\n", "stderr")
    return 0


def _driver_failure(ctx: ProgramContext, host: str, port: int, error: str, address: str) -> Program:
    """mongo-express 0.54 (lib/db.js) and node 12 when the first connect fails; the process then ends."""
    user, password = ctx.env.get("ME_CONFIG_MONGODB_ADMINUSERNAME"), ctx.env.get("ME_CONFIG_MONGODB_ADMINPASSWORD")
    url = f"mongodb://{user}:{password}@{host}:{port}/" if user else f"mongodb://{host}:{port}"
    if error in ("ENOTFOUND", "EAI_AGAIN"):
        cause, where = f"getaddrinfo {error} {host}", "GetAddrInfoReqWrap.onlookup [as oncomplete] (dns.js:66:26)"
    else:
        cause = f"connect {error} {address or host}:{port}"
        where = "TCPConnectWrap.afterConnect [as oncomplete] (net.js:1141:16)"
    yield Out(f'Could not connect to database using connectionString: {url}"\n'
              f"(node:7) UnhandledPromiseRejectionWarning: MongoNetworkError: failed to connect to server "
              f"[{host}:{port}] on first connect [Error: {cause}\n    at {where} {{\n  name: 'MongoNetworkError'\n}}]\n"
              "    at Pool.<anonymous> (/node_modules/mongodb/lib/core/topologies/server.js:438:11)\n"
              "    at Pool.emit (events.js:314:20)\n"
              "(node:7) UnhandledPromiseRejectionWarning: Unhandled promise rejection. This error originated either "
              "by throwing inside of an async function without a catch block, or by rejecting a promise which was "
              "not handled with .catch(). To terminate the node process on unhandled promise rejection, use the CLI "
              "flag `--unhandled-rejections=strict` (see https://nodejs.org/api/cli.html#cli_unhandled_rejections_mode)"
              ". (rejection id: 1)\n"
              "(node:7) [DEP0018] DeprecationWarning: Unhandled promise rejections are deprecated. In the future, "
              "promise rejections that are not handled will terminate the Node.js process with a non-zero exit "
              "code.\n", "stderr")
    return 0


def _busybox_date(ctx: ProgramContext) -> str:
    now = ctx.now()
    return f"{now.strftime('%a %b')} {now.day:2d} {now.strftime('%H:%M:%S')} UTC {now.year}"


@program("stress")
def stress(spec: ImageSpec, tag: str, ctx: ProgramContext) -> Program:
    args = ctx.argv[1:]
    size = "256M"
    if "--vm-bytes" in args and args.index("--vm-bytes") + 1 < len(args):
        size = args[args.index("--vm-bytes") + 1]
    m = re.fullmatch(r"(\d+)([BKMG]?)", size.upper())
    amount = int(m.group(1)) * {"": 1, "B": 1, "K": 1024, "M": MiB, "G": 1024 * MiB}[m.group(2)] if m else 256 * MiB
    workers = sum(1 for a in args if a == "--vm")
    yield Out(f"stress: info: [1] dispatching hogs: 0 cpu, 0 io, {max(workers, 1)} vm, 0 hdd\n")
    yield Sleep(0.5)
    yield UseMemory(amount * max(workers, 1) + spec.memory)
    timeout = duration(args[args.index("--timeout") + 1].rstrip("s") + "s") if "--timeout" in args else None
    if timeout:
        yield Sleep(timeout)
        yield Out(f"stress: info: [1] successful run completed in {int(timeout)}s\n")
        return 0
    yield Serve()
    return 0


@dataclass(frozen=True)
class StartFailure:
    """A command the image cannot run: docker's error and the exit code it leaves."""

    message: str
    exit_code: int = 127


def _missing_script(shell: str, path: str) -> Program:
    yield Out(f"{shell}: can't open '{path}': No such file or directory\n", "stderr")
    return 2


def argv_for(spec: ImageSpec, command: list[str] | None, args: list[str] | None) -> list[str]:
    """Docker's rule: `command` replaces ENTRYPOINT (and drops CMD), `args` replaces CMD."""
    entrypoint = list(command) if command else list(spec.entrypoint)
    cmd = list(args) if args else ([] if command else list(spec.cmd))
    return entrypoint + cmd


def launch(spec: ImageSpec, tag: str, argv: list[str], ctx: ProgramContext) -> Program | StartFailure:
    """The program `argv` runs in a container of `spec` (argv[0] resolved as the image's PATH would)."""
    if not argv:
        return StartFailure("Error response from daemon: No command specified", 1)
    ctx.argv = argv
    binary = argv[0].rsplit("/", 1)[-1]
    if binary in spec.binaries or (not spec.binaries and spec.program != "shell" and binary == spec.program):
        return PROGRAMS[spec.program](spec, tag, ctx)
    if spec.shell and binary in spec.params.get("shells", SHELLS):
        if len(argv) >= 3 and argv[1] == "-c":
            return run_sh(ctx, argv[2], binary)
        if len(argv) == 1:
            return PROGRAMS["shell"](spec, tag, ctx)
        return _missing_script(binary, argv[1])
    if spec.shell and binary in COMMANDS:
        return run_command(argv, Shell(ctx, binary))
    return StartFailure(f'exec: "{argv[0]}": executable file not found in $PATH')
