"""Simulated volume data: in-memory filesystems, where each volume's data lives, and a container's view.

Used by the kubelet (mounting), the shell and image programs (reading and writing files), the
PersistentVolume controller and the minikube hostpath provisioner (creating and reclaiming data).
"""

from .filesystem import FileSystem, FSError
from .mounts import ContainerFS, Mount
from .volumes import VolumeStore, storage_for

__all__ = ["ContainerFS", "FSError", "FileSystem", "Mount", "VolumeStore", "storage_for"]
