"""The kubelet's image manager on one node: pull policy, serialised pulls, the node's image cache, back-off.

Called by the pod worker for each container it starts (EnsureImageExists in pkg/kubelet/images). Events
and messages are the kubelet's: Pulling, Pulled (`Successfully pulled image "nginx" in 3.2s (3.2s including
waiting). Image size: N bytes.` or `Container image "nginx:1.27" already present on machine`), Failed,
BackOff; a failed pull backs off 10 s doubling to 5 min (ImagePullBackOff).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..images import Catalogue, ImageSpec, InvalidReference, PullError, parse
from ..images.reference import ImageRef
from .backoff import Backoff
from .timefmt import go_duration

Obj = dict[str, Any]
PRESENT_PULL_SECONDS = 0.45  # `Always` on an image already there: a manifest check
FAILED_PULL_SECONDS = 0.9


@dataclass(frozen=True)
class Pulled:
    """An image ready to run: its spec, the tag and the reference strings the status reports."""

    spec: ImageSpec
    ref: ImageRef

    @property
    def status_image(self) -> str:
        return self.ref.familiar_tagged

    @property
    def image_id(self) -> str:
        tag = self.ref.tag or "latest"
        return f"docker-pullable://{self.ref.familiar}@{self.ref.digest or self.spec.digest(tag)}"


@dataclass(frozen=True)
class ImageFailure:
    """Why a container's image is not there: waiting reason (ErrImagePull, ...) and status message."""

    reason: str
    message: str


class ImageManager:
    def __init__(self, clock: Any, catalogue: Catalogue, on_new_image: Callable[[Pulled], None]):
        self.clock = clock
        self.catalogue = catalogue
        self.present: dict[str, Pulled] = {}  # repository:tag -> image
        self.backoff = Backoff()
        self._last_error: dict[str, str] = {}
        self._busy_until = 0.0  # serializeImagePulls: one pull at a time per node
        self.on_new_image = on_new_image

    def ensure(self, pod: Obj, container: Obj, event: Callable[[str, str, str], None],
               done: Callable[[Pulled | ImageFailure], None], label: str) -> None:
        """Make the image of `container` present, reporting events; `done` is called on the virtual clock."""
        image = container.get("image", "")
        try:
            ref = parse(image)
        except InvalidReference as exc:
            msg = f'Failed to apply default image tag "{image}": couldn\'t parse image reference "{image}": {exc}'
            event("Warning", "InspectFailed", msg)
            done(ImageFailure("InvalidImageName", msg))
            return
        key = f"{ref.repository}:{ref.tag or ref.digest}"
        policy = container.get("imagePullPolicy", "IfNotPresent")
        present = self.present.get(key)
        if policy == "Never" or (policy == "IfNotPresent" and present is not None):
            if present is not None:
                event("Normal", "Pulled", f'Container image "{image}" already present on machine')
                done(present)
                return
            msg = f'Container image "{image}" is not present with pull policy of Never'
            event("Warning", "ErrImageNeverPull", msg)
            done(ImageFailure("ErrImageNeverPull", msg))
            return
        backoff_key = f"{pod['metadata'].get('uid', '')}_{image}"
        if self.backoff.remaining(backoff_key, self.clock.now) > 0:
            event("Normal", "BackOff", f'Back-off pulling image "{image}"')
            previous = self._last_error.get(backoff_key, "")
            message = f'Back-off pulling image "{image}"' + (f": ErrImagePull: {previous}" if previous else "")
            done(ImageFailure("ImagePullBackOff", message))
            return
        event("Normal", "Pulling", f'Pulling image "{image}"')
        requested = self.clock.now
        start = max(requested, self._busy_until)
        try:
            spec = self.catalogue.lookup(ref)
            seconds = PRESENT_PULL_SECONDS if key in self.present else spec.pull_seconds()
        except PullError:
            spec, seconds = None, FAILED_PULL_SECONDS
        self._busy_until = start + seconds

        def finish() -> None:
            if spec is None:
                try:
                    self.catalogue.lookup(ref)
                except PullError as exc:
                    error = str(exc)
                else:  # pragma: no cover - registered while the pull was under way
                    error = "Error response from daemon: pull interrupted"
                event("Warning", "Failed", f'Failed to pull image "{image}": {error}')
                self.backoff.next(backoff_key, self.clock.now)
                self._last_error[backoff_key] = error
                done(ImageFailure("ErrImagePull", error))
                return
            pulled = Pulled(spec, ref)
            is_new = key not in self.present
            self.present[key] = pulled
            self.backoff.reset(backoff_key)
            self._last_error.pop(backoff_key, None)
            event("Normal", "Pulled", f'Successfully pulled image "{image}" in {go_duration(seconds)} '
                                      f"({go_duration(self.clock.now - requested)} including waiting). "
                                      f"Image size: {spec.size} bytes.")
            if is_new:
                self.on_new_image(pulled)
            done(pulled)

        self.clock.call_at(start + seconds, finish, label=label)

    def retry_delay(self, pod: Obj, container: Obj) -> float:
        return self.backoff.remaining(f"{pod['metadata'].get('uid', '')}_{container.get('image', '')}",
                                      self.clock.now)

    def preload(self, image: str) -> None:
        """Put an image in the node's store without a pull (what `minikube start` loads before the cluster
        runs). The image must be in the catalogue."""
        ref = parse(image)
        spec = self.catalogue.lookup(ref)
        self.present[f"{ref.repository}:{ref.tag or ref.digest}"] = Pulled(spec, ref)

    def node_images(self) -> list[Obj]:
        """node.status.images: names by digest and tag, largest first (at most 50, as the kubelet reports)."""
        by_id: dict[str, Obj] = {}
        for pulled in self.present.values():
            tag = pulled.ref.tag or "latest"
            entry = by_id.setdefault(pulled.spec.image_id(tag), {"names": [], "sizeBytes": pulled.spec.size})
            for name in (f"{pulled.ref.familiar}@{pulled.spec.digest(tag)}", pulled.status_image):
                if name not in entry["names"]:
                    entry["names"].append(name)
        return sorted(by_id.values(), key=lambda e: (-e["sizeBytes"], e["names"][0]))[:50]
