"""The Kubernetes release the simulated cluster imitates, and the schema set it validates against.

Called by the simulator (node versions, /version), by schema validation and by the OpenAPI look-ups.
"""

KUBERNETES_VERSION = "v1.33.1"  # what `kubectl version` reports as the server version (minikube's default)
SCHEMA_VERSION = "1.33.0"  # the kubernetes-validate schema set matching it
MINIKUBE_VERSION = "v1.36.0"
CONTAINER_RUNTIME = "docker://28.1.1"
KERNEL_VERSION = "5.15.0-1074-gcp"
OS_IMAGE = "Ubuntu 22.04.5 LTS"
