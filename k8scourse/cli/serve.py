"""`k8scourse serve`: a simulated cluster on 127.0.0.1 for the kubectl on this machine, until Ctrl-C.

Registered by `k8scourse.cli`. Starts `k8scourse.serve.serve()` on a fresh simulated minikube, writes the
kubeconfig and prints how to point kubectl at it.
"""

from __future__ import annotations

import argparse
import sys
import threading

DEFAULT_PORT = 8443


def usage_text(url: str, kubeconfig: str, speed: float) -> str:
    clock = (f"simulated time runs at {speed:g}x wall time" if speed > 0
             else "simulated time stands still (speed 0)")
    return "\n".join([
        f"Serving a simulated minikube at {url} ({clock}).",
        f"Kubeconfig written to {kubeconfig}. In another terminal:",
        "",
        f"    export KUBECONFIG={kubeconfig}",
        "    kubectl get pods -A",
        "",
        "exec, attach and port-forward are not streamed by this server; use cluster.kubectl(\"exec ...\") in a notebook.",
        "Press Ctrl-C to stop.",
    ])


def cmd_serve(args: argparse.Namespace) -> int:
    from ..serve import serve
    from ..sim.cluster import SimulatedCluster

    try:
        backend = SimulatedCluster(nodes=args.nodes, seed=args.seed)
        server = serve(backend, host=args.host, port=args.port, kubeconfig=args.kubeconfig, speed=args.speed)
    except (OSError, ValueError) as error:
        print(f"k8scourse serve: {error}", file=sys.stderr)
        return 1
    print(usage_text(server.url, str(server.kubeconfig), server.speed), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nStopping.", flush=True)
    finally:
        server.stop()
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="serve a simulated cluster to kubectl as a Kubernetes API")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT}; 0 "
                       "picks a free one)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--kubeconfig", default=None,
                       help="where to write the kubeconfig (default: a new temporary file)")
    serve.add_argument("--nodes", type=int, default=1, help="number of nodes (default 1)")
    serve.add_argument("--seed", type=int, default=0, help="seed of every random choice (default 0)")
    serve.add_argument("--speed", type=float, default=1.0,
                       help="simulated seconds per wall-clock second (default 1; 0 stops the clock)")
    serve.set_defaults(func=cmd_serve)
