"""`k8scourse serve`: a simulated cluster served over HTTP as a Kubernetes REST API, for real kubectl and the official client."""
