"""Image references parsed and normalised as docker's distribution/reference does.

Called by the image catalogue (look-ups) and the kubelet's image manager (pull messages, the image name
a container status reports). `nginx` is `docker.io/library/nginx:latest`; the familiar name drops the
default registry and `library/` again, as docker does when it reports images.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_DOMAIN = "docker.io"
_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")


class InvalidReference(ValueError):
    """The reference cannot be parsed (docker's `invalid reference format`)."""


@dataclass(frozen=True)
class ImageRef:
    domain: str
    path: str  # library/nginx
    tag: str  # "" when only a digest was given
    digest: str = ""

    @property
    def repository(self) -> str:
        """The fully qualified repository: `docker.io/library/nginx`."""
        return f"{self.domain}/{self.path}"

    @property
    def familiar(self) -> str:
        """The repository as docker prints it: `nginx`, `bitnami/apache`, `gcr.io/kuar-demo/kuard-amd64`."""
        if self.domain == DEFAULT_DOMAIN:
            return self.path.removeprefix("library/")
        return self.repository

    @property
    def familiar_tagged(self) -> str:
        return f"{self.familiar}:{self.tag}" if self.tag else f"{self.familiar}@{self.digest}"


def parse(image: str) -> ImageRef:
    """ParseNormalizedNamed plus the kubelet's default `:latest` tag (applyDefaultImageTag)."""
    name, _, digest = image.partition("@")
    tag = ""
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        name, tag = name[:colon], name[colon + 1:]
        if not _TAG.match(tag):
            raise InvalidReference("invalid reference format")
    first, sep, rest = name.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        domain, path = first, rest
    else:
        domain, path = DEFAULT_DOMAIN, name
    if domain == DEFAULT_DOMAIN and "/" not in path:
        path = f"library/{path}"
    if not path:
        raise InvalidReference("invalid reference format")
    for component in path.split("/"):
        if not _COMPONENT.match(component):
            if component.lower() != component and _COMPONENT.match(component.lower()):
                raise InvalidReference(f"invalid reference format: repository name ({path}) must be lowercase")
            raise InvalidReference("invalid reference format")
    if not tag and not digest:
        tag = "latest"
    return ImageRef(domain, path, tag, digest)
