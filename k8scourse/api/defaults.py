"""Defaults, admission mutations and strategy preparation of API objects, as kube-apiserver v1.33 applies
them: the public face of `k8scourse.api.defaulting`.

Called by the simulated apiserver on create and update (see `k8scourse.api.defaulting` for the order),
so that stored objects look exactly as `kubectl get -o yaml` shows them on a real cluster.
"""

from .defaulting import apply_defaults, defaulter_for
from .defaulting.admission import admit_pod, default_storage_class, token_volume
from .defaulting.batch import job_selector_defaults
from .defaulting.pods import default_pull_policy, image_tag
from .defaulting.qos import pod_qos_class
from .defaulting.strategy import assign_cluster_ip, prepare_for_create, prepare_for_update

__all__ = [
    "admit_pod",
    "apply_defaults",
    "assign_cluster_ip",
    "default_pull_policy",
    "default_storage_class",
    "defaulter_for",
    "image_tag",
    "job_selector_defaults",
    "pod_qos_class",
    "prepare_for_create",
    "prepare_for_update",
    "token_volume",
]
