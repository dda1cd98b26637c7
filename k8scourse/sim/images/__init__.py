"""Simulated container images: the catalogue (data), what each image runs, and a small shell.

Used by the kubelets (`k8scourse.sim.kubelet`) to pull images and run containers.
"""

from .catalogue import Catalogue, ImageSpec, PullError, default_catalogue
from .process import Connection, Network, ProgramContext
from .programs import StartFailure, argv_for, launch
from .reference import ImageRef, InvalidReference, parse

__all__ = ["Catalogue", "Connection", "ImageRef", "ImageSpec", "InvalidReference", "Network", "ProgramContext",
           "PullError", "StartFailure", "argv_for", "default_catalogue", "launch", "parse"]
