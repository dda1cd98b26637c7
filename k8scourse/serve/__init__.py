"""`k8scourse serve`: a simulated cluster served over HTTP as a Kubernetes REST API, for real kubectl and the official client.

Called by `Cluster.serve()`, by the `k8scourse serve` command and by tests. `serve(backend)` starts the
server in background threads and returns a `Server` with its `url` and the `kubeconfig` it wrote.
"""

from .server import Server, serve

__all__ = ["Server", "serve"]
