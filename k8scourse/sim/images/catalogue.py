"""The image catalogue: which repositories and tags exist, how big they are, and what they run.

Called by the kubelet's image manager (does `nginx:1.99` exist? how long does it take to pull?) and by
the container runner (what does this image do?). Entries are data (`data.py`); a course or a learner can
`register()` their own. Unknown repositories and unknown tags fail as docker reports them on minikube.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from .reference import DEFAULT_DOMAIN, ImageRef

MiB = 1024 * 1024
PULL_BYTES_PER_SECOND = 40e6  # a home connection pulling from Docker Hub
PULL_OVERHEAD_SECONDS = 0.6


@dataclass(frozen=True)
class ImageSpec:
    """One repository: its tags, size, entrypoint/cmd, ports and the program that describes its behaviour."""

    repository: str  # docker.io/library/nginx
    tags: tuple[str, ...]
    size: int  # bytes, as `Image size:` in the Pulled event and node.status.images report it
    program: str = "server"  # a key of programs.PROGRAMS
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    binaries: tuple[str, ...] = ()  # argv[0] names that start the image's own program
    shell: bool = False  # has /bin/sh and the busybox/coreutils commands
    ports: tuple[int, ...] = ()
    routes: dict[str, int] = field(default_factory=dict)  # HTTP path -> status code ("*" for any other path)
    logs: tuple[str, ...] = ()  # start-up lines (str.format with now, version, port, host)
    versions: dict[str, str] = field(default_factory=dict)  # tag -> version printed in logs
    memory: int = 8 * MiB  # resident memory once started
    cpu_millicores: int = 1  # idle CPU use (for kubectl top / HPA)
    stops_on_sigterm: bool = True  # False: PID 1 ignores SIGTERM and is killed after the grace period
    params: dict[str, Any] = field(default_factory=dict)

    def has_tag(self, tag: str) -> bool:
        return tag in self.tags

    def version(self, tag: str) -> str:
        return self.versions.get(tag) or self.versions.get("latest", tag)

    def digest(self, tag: str) -> str:
        return "sha256:" + hashlib.sha256(f"{self.repository}:{tag}".encode()).hexdigest()

    def image_id(self, tag: str) -> str:
        return "sha256:" + hashlib.sha256(f"id {self.repository}:{tag}".encode()).hexdigest()

    def pull_seconds(self) -> float:
        return round(PULL_OVERHEAD_SECONDS + self.size / PULL_BYTES_PER_SECOND, 3)


class PullError(Exception):
    """An image that cannot be pulled; the message is docker's, as the kubelet reports it."""


class Catalogue:
    """Repositories by fully qualified name; `lookup(ref)` answers what a registry would."""

    def __init__(self, specs: list[ImageSpec] | None = None):
        self._specs: dict[str, ImageSpec] = {}
        for spec in specs or ():
            self.register(spec)

    def register(self, spec: ImageSpec | None = None, **fields: Any) -> ImageSpec:
        """Add (or replace) a repository: `register(repository="docker.io/me/app", tags=("1.0",), size=...)`."""
        if spec is None:
            repository = fields.pop("repository")
            if "/" not in repository or "." not in repository.split("/", 1)[0]:
                repository = f"{DEFAULT_DOMAIN}/{repository if '/' in repository else 'library/' + repository}"
            spec = ImageSpec(repository=repository, tags=tuple(fields.pop("tags", ("latest",))),
                             size=fields.pop("size", 50 * MiB), **fields)
        self._specs[spec.repository] = spec
        return spec

    def get(self, ref: ImageRef) -> ImageSpec | None:
        return self._specs.get(ref.repository)

    def lookup(self, ref: ImageRef) -> ImageSpec:
        """The spec for a pullable reference, or PullError worded as docker's daemon words it."""
        spec = self._specs.get(ref.repository)
        if spec is None:
            if ref.domain == DEFAULT_DOMAIN:
                raise PullError(f"Error response from daemon: pull access denied for {ref.familiar}, repository does "
                                "not exist or may require 'docker login': denied: requested access to the resource "
                                "is denied")
            raise PullError(f"Error response from daemon: Head \"https://{ref.domain}/v2/{ref.path}/manifests/"
                            f"{ref.tag or ref.digest}\": denied")
        if ref.digest and not ref.tag:
            if ref.digest not in {spec.digest(t) for t in spec.tags}:
                raise PullError(f"Error response from daemon: manifest for {ref.familiar}@{ref.digest} not found: "
                                "manifest unknown: manifest unknown")
        elif not spec.has_tag(ref.tag):
            raise PullError(f"Error response from daemon: manifest for {ref.familiar}:{ref.tag} not found: "
                            "manifest unknown: manifest unknown")
        return spec


def default_catalogue() -> Catalogue:
    """A fresh catalogue with the images the course uses (each cluster gets its own copy)."""
    from .data import IMAGES

    return Catalogue([ImageSpec(**entry) for entry in IMAGES])
