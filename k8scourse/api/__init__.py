"""Pure-Python Kubernetes API knowledge shared by every layer: registry, errors, manifests, validation.

Imported by the simulator, the real-cluster backend, the kubectl layer and the server. Imports nothing
from k8scourse above it.
"""
