"""Image references normalised as docker/distribution's reference.ParseNormalizedNamed, plus the kubelet's
default `:latest` (applyDefaultImageTag in pkg/kubelet/images/image_manager.go)."""

from __future__ import annotations

import pytest

from k8scourse.sim.images import InvalidReference, parse


@pytest.mark.parametrize(("image", "repository", "tag", "familiar"), [
    ("nginx", "docker.io/library/nginx", "latest", "nginx:latest"),
    ("nginx:1.27", "docker.io/library/nginx", "1.27", "nginx:1.27"),
    ("docker.io/library/nginx:1.27", "docker.io/library/nginx", "1.27", "nginx:1.27"),
    ("bitnami/apache", "docker.io/bitnami/apache", "latest", "bitnami/apache:latest"),
    ("gcr.io/kuar-demo/kuard-amd64:blue", "gcr.io/kuar-demo/kuard-amd64", "blue",
     "gcr.io/kuar-demo/kuard-amd64:blue"),
    ("localhost:5000/app:1", "localhost:5000/app", "1", "localhost:5000/app:1"),
])
def test_normalised_names(image, repository, tag, familiar):
    ref = parse(image)
    assert (ref.repository, ref.tag, ref.familiar_tagged) == (repository, tag, familiar)


def test_uppercase_is_refused_as_docker_refuses_it():
    with pytest.raises(InvalidReference, match=r"repository name \(library/Nginx\) must be lowercase"):
        parse("Nginx")
