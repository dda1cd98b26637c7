"""The simulated cluster: apiserver and store, controllers, admission, virtual clock, minikube bootstrap.

Created through `k8scourse.connect()`; implements the Backend protocol in `k8scourse.sim.cluster`.
Imports only `k8scourse.api` from the package.
"""
