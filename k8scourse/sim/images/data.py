"""The simulated images as data: repositories, tags, sizes, entrypoints, ports, HTTP routes and start-up logs.

Read by `catalogue.default_catalogue()`. Sizes are the uncompressed sizes docker reports (the kubelet's
`Image size: N bytes.`); start-up logs are those of the real images, with the time filled in.
"""

from __future__ import annotations

MiB = 1024 * 1024

NGINX_LOGS = (
    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
    "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
    "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
    "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
    "/docker-entrypoint.sh: Configuration complete; ready for start up",
    "{now:%Y/%m/%d %H:%M:%S} [notice] 1#1: using the \"epoll\" event method",
    "{now:%Y/%m/%d %H:%M:%S} [notice] 1#1: nginx/{version}",
    "{now:%Y/%m/%d %H:%M:%S} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ",
    "{now:%Y/%m/%d %H:%M:%S} [notice] 1#1: OS: Linux 5.15.0-1074-gcp",
    "{now:%Y/%m/%d %H:%M:%S} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
    "{now:%Y/%m/%d %H:%M:%S} [notice] 1#1: start worker processes",
    "{now:%Y/%m/%d %H:%M:%S} [notice] 1#1: start worker process 29",
    "{now:%Y/%m/%d %H:%M:%S} [notice] 1#1: start worker process 30",
)

HTTPD_LOGS = (
    "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {ip}. "
    "Set the 'ServerName' directive globally to suppress this message",
    "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {ip}. "
    "Set the 'ServerName' directive globally to suppress this message",
    "[{now:%a %b %d %H:%M:%S.%f %Y}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/{version} (Unix) "
    "configured -- resuming normal operations",
    "[{now:%a %b %d %H:%M:%S.%f %Y}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'",
)

REDIS_LOGS = (
    "1:C {now:%d %b %Y %H:%M:%S.%f} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
    "1:C {now:%d %b %Y %H:%M:%S.%f} * Redis version={version}, bits=64, commit=00000000, modified=0, pid=1, "
    "just started",
    "1:C {now:%d %b %Y %H:%M:%S.%f} # Warning: no config file specified, using the default config. In order to "
    "specify a config file use redis-server /path/to/redis.conf",
    "1:M {now:%d %b %Y %H:%M:%S.%f} * monotonic clock: POSIX clock_gettime",
    "1:M {now:%d %b %Y %H:%M:%S.%f} * Running mode=standalone, port=6379.",
    "1:M {now:%d %b %Y %H:%M:%S.%f} * Server initialized",
    "1:M {now:%d %b %Y %H:%M:%S.%f} * Ready to accept connections tcp",
)

SHELL_IMAGE = {"program": "shell", "shell": True, "ports": (), "memory": 1 * MiB, "cpu_millicores": 0,
               "stops_on_sigterm": False}

IMAGES: list[dict] = [
    {"repository": "docker.io/library/nginx", "size": 72195292, "program": "server",
     "tags": ("latest", "stable", "mainline", "alpine", "1.29", "1.29.0", "1.28", "1.28.0", "1.27", "1.27.5", "1.27.4", "1.26", "1.26.3", "1.25",
              "1.25.5", "1.24", "1.23", "1.22", "1.21", "1.20", "1.19", "1.18", "1.17", "1.16", "1.16.1",
              "1.16.0", "1.15", "1.14", "1.14.2", "1.7.9"),
     "versions": {"latest": "1.27.5", "stable": "1.26.3", "mainline": "1.27.5", "alpine": "1.27.5",
                  "1.29": "1.29.0", "1.28": "1.28.0", "1.27": "1.27.5", "1.26": "1.26.3", "1.25": "1.25.5", "1.24": "1.24.0", "1.23": "1.23.4",
                  "1.22": "1.22.1", "1.21": "1.21.6", "1.20": "1.20.2", "1.19": "1.19.10", "1.18": "1.18.0",
                  "1.17": "1.17.10", "1.16": "1.16.1", "1.15": "1.15.12", "1.14": "1.14.2"},
     "entrypoint": ("/docker-entrypoint.sh",), "cmd": ("nginx", "-g", "daemon off;"),
     "binaries": ("docker-entrypoint.sh", "nginx"), "shell": True, "ports": (80,), "routes": {"/": 200},
     "logs": NGINX_LOGS, "memory": 3 * MiB, "cpu_millicores": 0, "params": {"entrypoint_logs_since": "1.19"}},
    {"repository": "docker.io/library/httpd", "size": 148006664, "tags": ("latest", "2.4", "2.4.63", "alpine"),
     "versions": {"latest": "2.4.63", "2.4": "2.4.63"}, "cmd": ("httpd-foreground",),
     "binaries": ("httpd-foreground", "httpd"), "shell": True, "ports": (80,), "routes": {"/": 200},
     "logs": HTTPD_LOGS, "memory": 6 * MiB},
    {"repository": "docker.io/bitnami/apache", "size": 174343782, "tags": ("latest", "2.4"),
     "cmd": ("/opt/bitnami/scripts/apache/run.sh",), "binaries": ("run.sh",), "shell": True, "ports": (8080, 8443),
     "routes": {"/": 200}, "logs": ("apache {now:%H:%M:%S.00} INFO  ==> ** Starting Apache **",),
     "memory": 10 * MiB},
    {"repository": "gcr.io/kuar-demo/kuard-amd64", "size": 24986232, "tags": ("blue", "green", "purple", "1", "2",
                                                                             "3", "latest"),
     "cmd": ("/kuard",), "binaries": ("kuard",), "ports": (8080,),
     "routes": {"/": 200, "/healthy": 200, "/ready": 200, "/env": 200, "/-/env": 200},
     "logs": ("{now:%Y/%m/%d %H:%M:%S} Starting kuard version: v0.10.0-{tag}",
              "{now:%Y/%m/%d %H:%M:%S} **********************************************************************",
              "{now:%Y/%m/%d %H:%M:%S} * WARNING: This server may expose sensitive",
              "{now:%Y/%m/%d %H:%M:%S} * and secret information. Be careful.",
              "{now:%Y/%m/%d %H:%M:%S} **********************************************************************",
              "{now:%Y/%m/%d %H:%M:%S} Config: ",
              "{now:%Y/%m/%d %H:%M:%S} Serving on HTTP on :8080"),
     "memory": 5 * MiB},
    {"repository": "docker.io/jonbaier/node-express-info", "size": 667912190, "tags": ("latest",),
     "cmd": ("node", "index.js"), "binaries": ("node",), "shell": True, "ports": (80,), "routes": {"*": 200},
     "logs": ("Listening on port 80",), "memory": 28 * MiB, "stops_on_sigterm": False},
    {"repository": "docker.io/punitporwal07/myapp", "size": 91824155, "tags": ("0.1",),
     "cmd": ("node", "app.js"), "binaries": ("node",), "shell": True, "ports": (8080,), "routes": {"*": 200},
     "logs": ("Server running at http://0.0.0.0:8080/",), "memory": 25 * MiB, "stops_on_sigterm": False},
    {"repository": "docker.io/hashicorp/http-echo", "size": 6596240, "program": "http-echo",
     "tags": ("latest", "1.0", "1.0.0", "0.2.3"), "entrypoint": ("/http-echo",), "binaries": ("http-echo",),
     "ports": (5678,), "memory": 2 * MiB},
    {"repository": "docker.io/ealen/echo-server", "size": 65420876, "tags": ("latest", "0.9.2"),
     "entrypoint": ("node", "webserver"), "binaries": ("node",), "shell": True, "ports": (80,),
     "routes": {"*": 200}, "logs": ("Listening on port 80.",), "memory": 30 * MiB, "params": {"port_env": "PORT"}},
    {"repository": "docker.io/library/mongo", "size": 853436452, "program": "mongo",
     "tags": ("latest", "8.0", "8.0.9", "7.0", "7", "6.0", "6", "5.0", "5", "4.4", "4"),
     "versions": {"latest": "8.0.9", "8.0": "8.0.9", "7.0": "7.0.20", "7": "7.0.20", "6.0": "6.0.23",
                  "6": "6.0.23", "5.0": "5.0.31", "5": "5.0.31", "4.4": "4.4.29", "4": "4.4.29"},
     "entrypoint": ("docker-entrypoint.sh",), "cmd": ("mongod",), "binaries": ("docker-entrypoint.sh", "mongod"),
     "shell": True, "ports": (27017,), "memory": 160 * MiB, "cpu_millicores": 5},
    {"repository": "docker.io/library/mongo-express", "size": 135965862, "program": "mongo-express",
     "tags": ("latest", "1.0.2", "1.0", "0.54.0", "0.54"), "entrypoint": ("tini", "--", "/docker-entrypoint.sh"),
     "cmd": ("mongo-express",), "binaries": ("tini", "docker-entrypoint.sh", "mongo-express"), "shell": True,
     "ports": (8081,), "routes": {"*": 200}, "memory": 40 * MiB},
    {"repository": "docker.io/library/redis", "size": 116937472, "tags": ("latest", "7", "7.4", "7.2", "alpine"),
     "versions": {"latest": "7.4.3", "7": "7.4.3", "7.4": "7.4.3", "7.2": "7.2.8", "alpine": "7.4.3"},
     "entrypoint": ("docker-entrypoint.sh",), "cmd": ("redis-server",),
     "binaries": ("docker-entrypoint.sh", "redis-server"), "shell": True, "ports": (6379,), "logs": REDIS_LOGS,
     "memory": 4 * MiB, "cpu_millicores": 2},
    {"repository": "docker.io/library/postgres", "size": 438245637, "program": "postgres",
     "tags": ("latest", "17", "16", "15", "14", "13", "alpine", "15-alpine", "16-alpine"),
     "versions": {"latest": "17.5", "17": "17.5", "16": "16.9", "15": "15.13", "14": "14.18", "13": "13.21"},
     "entrypoint": ("docker-entrypoint.sh",), "cmd": ("postgres",), "binaries": ("docker-entrypoint.sh", "postgres"),
     "shell": True, "ports": (5432,), "memory": 40 * MiB, "cpu_millicores": 2},
    {"repository": "docker.io/library/mysql", "size": 602178404, "program": "mysql",
     "tags": ("latest", "8", "8.0", "8.4", "5.7", "9"),
     "versions": {"latest": "9.3.0", "9": "9.3.0", "8": "8.4.5", "8.4": "8.4.5", "8.0": "8.0.42", "5.7": "5.7.44"},
     "entrypoint": ("docker-entrypoint.sh",), "cmd": ("mysqld",), "binaries": ("docker-entrypoint.sh", "mysqld"),
     "shell": True, "ports": (3306,), "memory": 360 * MiB, "cpu_millicores": 5},
    {"repository": "docker.io/polinux/stress", "size": 9744175, "program": "stress", "tags": ("latest",),
     "binaries": ("stress",), "shell": True, "memory": 1 * MiB},
    {"repository": "docker.io/library/busybox", "size": 4269694, "cmd": ("sh",), "params": {"shells": ("sh", "ash")},
     "tags": ("latest", "1.36", "1.36.1", "1.37", "1.35", "1.34", "1.28", "stable", "musl", "glibc", "uclibc"),
     **SHELL_IMAGE},
    {"repository": "docker.io/library/alpine", "size": 7796360, "cmd": ("/bin/sh",), "params": {"shells": ("sh", "ash")},
     "tags": ("latest", "3", "3.22", "3.21", "3.20", "3.19", "3.18", "edge"), **SHELL_IMAGE},
    {"repository": "docker.io/library/ubuntu", "size": 78114944, "cmd": ("/bin/bash",),
     "tags": ("latest", "24.04", "22.04", "20.04", "noble", "jammy", "focal"), **SHELL_IMAGE},
    {"repository": "registry.k8s.io/busybox", "size": 1144547, "cmd": ("sh",), "params": {"shells": ("sh", "ash")}, "tags": ("latest", "1.27.2"),
     **SHELL_IMAGE},
    {"repository": "registry.k8s.io/pause", "size": 736000, "program": "pause", "tags": ("3.10", "3.9", "latest"),
     "entrypoint": ("/pause",), "binaries": ("pause",), "memory": 256 * 1024, "cpu_millicores": 0},
    # minikube addons (k8scourse.sim.addons): the ingress-nginx controller and its webhook certgen, metrics-server
    {"repository": "registry.k8s.io/ingress-nginx/controller", "size": 319414208, "program": "ingress-nginx",
     "tags": ("v1.12.2",), "entrypoint": ("/usr/bin/dumb-init", "--"), "cmd": ("/nginx-ingress-controller",),
     "binaries": ("dumb-init", "nginx-ingress-controller"), "shell": True, "ports": (80, 443, 8443, 10254),
     "routes": {"/healthz": 200}, "memory": 90 * MiB, "cpu_millicores": 3},
    {"repository": "registry.k8s.io/ingress-nginx/kube-webhook-certgen", "size": 64868832,
     "program": "kube-webhook-certgen", "tags": ("v1.5.3",), "entrypoint": ("/kube-webhook-certgen",),
     "binaries": ("kube-webhook-certgen",), "memory": 12 * MiB},
    {"repository": "registry.k8s.io/metrics-server/metrics-server", "size": 67070464, "tags": ("v0.7.2",),
     "entrypoint": ("/metrics-server",), "binaries": ("metrics-server",), "ports": (4443,),
     "routes": {"/readyz": 200, "/livez": 200}, "memory": 20 * MiB, "cpu_millicores": 4},
]
