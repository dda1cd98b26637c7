"""The official-client backend: the Backend protocol on a real cluster (minikube or any kubeconfig context)."""
