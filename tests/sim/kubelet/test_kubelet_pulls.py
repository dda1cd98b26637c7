"""Image pulls: typos in repositories and tags, ImagePullBackOff with its 10 s doubling back-off, pull policies.

Wording after pkg/kubelet/images/image_manager.go (`Failed to pull image %q: %v`, `Back-off pulling image
%q`, `Container image %q is not present with pull policy of Never`), pkg/kubelet/kuberuntime (`Error: %v`
for the Failed event) and the docker daemon's errors as cri-dockerd passes them on.
"""

from __future__ import annotations

DENIED = ("Error response from daemon: pull access denied for ngin, repository does not exist or may require "
          "'docker login': denied: requested access to the resource is denied")


def test_unknown_repository_fails_then_backs_off(pods):
    pods.create("typo", [{"name": "app", "image": "ngin"}])
    pods.cluster.advance(2.5)
    assert pods.status("typo")["state"]["waiting"] == {"reason": "ErrImagePull", "message": DENIED}
    pods.cluster.advance(1)
    waiting = pods.status("typo")["state"]["waiting"]
    assert waiting == {"reason": "ImagePullBackOff",
                       "message": f'Back-off pulling image "ngin": ErrImagePull: {DENIED}'}
    assert pods.events("typo")[1:] == [
        ("Normal", "Pulling", 'Pulling image "ngin"'),
        ("Warning", "Failed", f'Failed to pull image "ngin": {DENIED}'),
        ("Warning", "Failed", "Error: ErrImagePull"),
        ("Normal", "BackOff", 'Back-off pulling image "ngin"'),
        ("Warning", "Failed", "Error: ImagePullBackOff"),
    ]
    assert pods.get("typo")["status"]["phase"] == "Pending"


def test_pull_retries_double_from_ten_seconds(pods):
    pods.create("typo", [{"name": "app", "image": "ngin"}])
    pulls = []
    for _ in range(80):
        pods.cluster.advance(1)
        pulls.append(pods.count("typo", "Pulling"))
    attempts = [pulls.index(n) for n in sorted(set(pulls)) if n]
    gaps = [b - a for a, b in zip(attempts, attempts[1:], strict=False)]
    assert [round(g / 10) * 10 for g in gaps] == [10, 20, 40]


def test_unknown_tag_of_a_known_repository(pods):
    pods.create("tag", [{"name": "app", "image": "nginx:1.99"}])
    pods.cluster.advance(2.5)
    assert pods.status("tag")["state"]["waiting"]["message"] == (
        "Error response from daemon: manifest for nginx:1.99 not found: manifest unknown: manifest unknown")


def test_pull_policy_never_without_the_image(pods):
    pods.create("never", [{"name": "app", "image": "nginx:1.27", "imagePullPolicy": "Never"}])
    pods.cluster.advance(3)
    assert pods.status("never")["state"]["waiting"] == {
        "reason": "ErrImageNeverPull",
        "message": 'Container image "nginx:1.27" is not present with pull policy of Never'}


def test_pull_policy_always_pulls_again(pods):
    pods.create("a", [{"name": "app", "image": "nginx"}])
    pods.cluster.settle()
    pods.create("b", [{"name": "app", "image": "nginx"}])  # :latest defaults to Always
    pods.cluster.settle()
    assert ("Normal", "Pulled", 'Successfully pulled image "nginx" in 450ms (450ms including waiting). '
                                "Image size: 72195292 bytes.") in pods.events("b")


def test_pulls_on_a_node_are_serialised(pods):
    pods.create("db", [{"name": "db", "image": "mongo:7.0", "env": [
        {"name": "MONGO_INITDB_ROOT_USERNAME", "value": "root"},
        {"name": "MONGO_INITDB_ROOT_PASSWORD", "value": "secret"}]}])
    pods.create("web", [{"name": "app", "image": "nginx:1.27"}])
    pods.cluster.settle()
    pulled = next(m for _, r, m in pods.events("web") if r == "Pulled")
    assert pulled.startswith('Successfully pulled image "nginx:1.27" in 2.405s (24.34')


def test_a_user_registered_image_can_be_pulled(pods):
    pods.cluster.backend.images.register(repository="me/app", tags=("1.0",), size=1234567, ports=(8080,))
    pods.create("mine", [{"name": "app", "image": "me/app:1.0"}])
    pods.cluster.settle()
    assert pods.get("mine")["status"]["phase"] == "Running"
    assert pods.status("mine")["image"] == "me/app:1.0"
