"""The simulated kube-controller-manager: one module per controller, each reacting to store changes.

Called by `SimulatedCluster`, which creates the controllers and wires them to the store's watch.
"""
