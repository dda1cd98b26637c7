"""Every manifest of the source notes, applied to a fresh simulated cluster as a learner would.

Fixtures are in tests/fixtures/notes/ (as the notes write them). Each outcome is what a v1.33 cluster gives:
accepted with its defaults, or refused with kube-apiserver's / kubectl's wording. Sources of the wording:
- removed API versions: k8s.io/apimachinery/pkg/api/meta/errors.go (NoKindMatchError), wrapped by
  staging/src/k8s.io/cli-runtime/pkg/resource/mapper.go (infoForData);
- missing namespace: plugin/pkg/admission/namespace/lifecycle/admission.go (errors.NewNotFound);
- decoding: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go (transformDecodeError:
  `%v in version %q cannot be handled as a %v: %v`) with sigs.k8s.io/json's type errors and
  staging/src/k8s.io/apimachinery/pkg/runtime/serializer/json/json.go (`strict decoding error`);
- field errors: pkg/apis/core/validation/validation.go (ValidateService: `spec.ports` Required) and
  pkg/registry/core/service/portallocator/allocator.go (ErrAllocated) via pkg/registry/core/service/storage/alloc.go;
- YAML syntax: sigs.k8s.io/yaml + go-yaml v2 (`yaml: line N: did not find expected key`, parser errors on
  the 0-based line), under kubectl's `error parsing <file>: ` (cli-runtime visitor.go StreamVisitor);
- `apiVersion not set`: staging/src/k8s.io/kubectl/pkg/validation/schema.go;
- messages printed for apply: staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go (AddSourceToErr, CheckErr).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import k8scourse
from k8scourse import ApiError, K8sError
from k8scourse.api.errors import KindNotFoundError, ManifestError
from k8scourse.cluster import ApplyError

NOTES = Path(__file__).parent / "fixtures" / "notes"

# file -> the lines `kubectl apply -f` prints on a fresh minikube
ACCEPTED = {
    "nginx-deployment.yaml": ["deployment.apps/nginx-depl created"],
    "nginx-service.yaml": ["service/nginx-service created"],
    "mongodb-secret.yaml": ["secret/mongodb-secret created"],
    "mongodb-deployment.yaml": ["deployment.apps/mongodb-depl created", "service/mongodb-service created"],
    "mongodb-configmap.yaml": ["configmap/mongodb-configmap created"],
    "local-configmap.yaml": ["configmap/my-local-configmap created"],
    "internal-service.yaml": ["service/my-internal-service created"],
    "myapp-pod.yaml": ["pod/myapp created"],
    "kuard-pod.yaml": ["pod/kuard created"],
    "external-database-service.yaml": ["service/external-database created"],
    "external-ip-endpoints.yaml": ["endpoints/external-ip-database created"],
    "rc-node-js.yaml": ["replicationcontroller/node-js created"],
    "node-js-service.yaml": ["service/node-js created"],
    "rc-node-js-health.yaml": ["replicationcontroller/node-js created"],
    "rc-apache-hook.yaml": ["replicationcontroller/apache-hook created"],
    "rc-node-js-constraints.yaml": ["replicationcontroller/node-js-constraints created"],
}

NO_MATCH = 'no matches for kind "{}" in version "{}"'
# file -> (error class, the error's message) on a fresh minikube
REFUSED = {
    "ingress-v1beta1.yaml": (KindNotFoundError, NO_MATCH.format("Ingress", "networking.k8s.io/v1beta1")),
    "myapp-deployment-v1beta1.yaml": (KindNotFoundError, NO_MATCH.format("Deployment", "extensions/v1beta1")),
    "rs-node-js-v1beta1.yaml": (KindNotFoundError, NO_MATCH.format("ReplicaSet", "extensions/v1beta1")),
    "mydeploy-v1.yaml": (KindNotFoundError, NO_MATCH.format("Deployment", "v1")),
    "mydeploy-rolling-update.yaml": (KindNotFoundError, NO_MATCH.format("Deployment", "v1")),
    "namespaced-configmap.yaml": (ApiError, 'namespaces "my-namespace" not found'),
    "local-configmap-namespaced.yaml": (ApiError, 'namespaces "my-namespace" not found'),
    "hpa.yaml": (ApiError, 'namespaces "myapp-ns" not found'),
    "external-ip-service.yaml": (ApiError, 'Service "external-ip-database" is invalid: spec.ports: Required value'),
    "deployment-outline.yaml": (
        ApiError,
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go '
        "struct field ObjectMeta.metadata.labels of type map[string]string",
    ),
    "service-outline.yaml": (
        ApiError,
        'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go '
        "struct field ServiceSpec.spec.selector of type map[string]string",
    ),
    "my-database-services.yaml": (
        ManifestError,
        'error validating "{path}": error validating data: apiVersion not set; if you choose to ignore these '
        "errors, turn validation off with --validate=false",
    ),
    "mongo-express.yaml": (
        ManifestError,
        "error parsing {path}: error converting YAML to JSON: yaml: line 25: did not find expected key",
    ),
}
PARTLY_APPLIED = {"pv-pvc.yaml"}  # the PersistentVolume goes in, the claim is refused (tested below)


def note(name: str) -> Path:
    return NOTES / name


def text_of(name: str) -> str:
    return note(name).read_text()


def apply_ok(cluster: k8scourse.Cluster, *names: str) -> list[dict]:
    out: list[dict] = []
    for name in names:
        out += cluster.apply(note(name))
    return out


def refusal(cluster: k8scourse.Cluster, manifest, error: type[K8sError] = K8sError) -> K8sError:
    """Apply `manifest`, expect `error`, and check the store did not move."""
    before = cluster.backend.api.store.revision
    with pytest.raises(error) as caught:
        cluster.apply(manifest)
    assert cluster.backend.api.store.revision == before
    return caught.value


def namespace(cluster: k8scourse.Cluster, name: str) -> None:
    cluster.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})


# --- every fixture is classified, and each outcome is what a v1.33 cluster gives ---------------------


def test_every_fixture_is_classified_and_names_its_source():
    files = {p.name for p in NOTES.glob("*.yaml")}
    assert files == set(ACCEPTED) | set(REFUSED) | PARTLY_APPLIED
    for name in files:
        assert re.match(r"# From 00[0-4]_[0-9a-f]{16}\.txt", text_of(name)), name


# Re-applied unchanged, these still print `configured`, on a real cluster too: kubectl's three-way patch
# (staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go, CreateThreeWayMergePatch) diffs the live
# object against the file. The kuard Pod's live volumes and volumeMounts also hold the injected
# kube-api-access volume, so their lengths differ and diffLists emits `$setElementOrder` (isOrderSame is
# false); Endpoints `subsets` has no merge key, so the list is replaced whenever the live one differs, and the
# server added `protocol: TCP` to its port.
RECONFIGURED = {"kuard-pod.yaml", "external-ip-endpoints.yaml"}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted_then_reapplied(cluster, name):
    assert cluster.apply(note(name)).actions == ACCEPTED[name]
    again = cluster.apply(note(name)).actions
    verb = " configured" if name in RECONFIGURED else " unchanged"
    assert again == [line.replace(" created", verb) for line in ACCEPTED[name]]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_kubernetes_wording(cluster, name):
    error_class, message = REFUSED[name]
    err = refusal(cluster, note(name), error_class)
    expected = message.format(path=note(name))
    assert (err.message if isinstance(err, ApiError) else str(err)) == expected


# --- the nginx Deployment and Service --------------------------------------------------------------


def test_nginx_deployment_defaults(cluster):
    depl = apply_ok(cluster, "nginx-deployment.yaml")[0]
    spec = depl["spec"]
    # pkg/apis/apps/v1/defaults.go SetDefaults_Deployment
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
    assert (spec["revisionHistoryLimit"], spec["progressDeadlineSeconds"]) == (10, 600)
    container = spec["template"]["spec"]["containers"][0]
    assert container["imagePullPolicy"] == "IfNotPresent"  # tagged, not :latest (core/v1 defaults.go)
    assert container["ports"] == [{"containerPort": 8080, "protocol": "TCP"}]
    assert spec["template"]["spec"]["restartPolicy"] == "Always"
    assert depl["metadata"]["generation"] == 1
    assert depl["status"] == {}


def test_nginx_service_keeps_its_target_port_and_gets_a_cluster_ip(cluster):
    svc = apply_ok(cluster, "nginx-service.yaml")[0]
    spec = svc["spec"]
    assert spec["type"] == "ClusterIP" and spec["sessionAffinity"] == "None"
    assert spec["ports"] == [{"protocol": "TCP", "port": 80, "targetPort": 8080}]
    first, second, *_ = (int(part) for part in spec["clusterIP"].split("."))
    assert first == 10 and 96 <= second <= 111  # minikube's service CIDR 10.96.0.0/12
    assert spec["clusterIPs"] == [spec["clusterIP"]]


def test_service_without_target_port_targets_its_port(cluster):
    svc = apply_ok(cluster, "node-js-service.yaml")[0]
    port = svc["spec"]["ports"][0]
    assert port["targetPort"] == 80 and port["protocol"] == "TCP"  # core/v1 defaults.go SetDefaults_Service
    assert 30000 <= port["nodePort"] <= 32767
    assert svc["spec"]["externalTrafficPolicy"] == "Cluster"
    assert svc["spec"]["allocateLoadBalancerNodePorts"] is True
    assert svc["status"] == {"loadBalancer": {}}  # EXTERNAL-IP <pending> until `minikube tunnel`


def test_editing_one_field_is_configured(cluster):
    apply_ok(cluster, "nginx-deployment.yaml")
    edited = text_of("nginx-deployment.yaml").replace("replicas: 1", "replicas: 2")
    result = cluster.apply(edited)
    assert result.actions == ["deployment.apps/nginx-depl configured"]
    assert result[0]["spec"]["replicas"] == 2 and result[0]["metadata"]["generation"] == 2
    assert cluster.apply(edited).actions == ["deployment.apps/nginx-depl unchanged"]


def test_apply_after_create_without_save_config_is_configured(cluster):
    # The notes say a Deployment made by `create` cannot be applied; kubectl applies it (after a warning
    # about the missing last-applied annotation, which it then adds): apply.go in staging/src/k8s.io/kubectl.
    created = cluster.create(note("nginx-deployment.yaml"))[0]
    assert "annotations" not in created["metadata"]
    result = cluster.apply(note("nginx-deployment.yaml"))
    assert result.actions == ["deployment.apps/nginx-depl configured"]
    assert "kubectl.kubernetes.io/last-applied-configuration" in result[0]["metadata"]["annotations"]


# --- the MongoDB + Mongo Express application -------------------------------------------------------


def test_mongodb_secret_data_stays_base64(cluster):
    secret = apply_ok(cluster, "mongodb-secret.yaml")[0]
    assert secret["type"] == "Opaque"
    assert secret["data"] == {"mongo-root-username": "dXNlcm5hbWU=", "mongo-root-password": "cGFzc3dvcmQ="}


def test_mongodb_deployment_untagged_image_is_always_pulled(cluster):
    depl, svc = apply_ok(cluster, "mongodb-deployment.yaml")
    container = depl["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "mongo" and container["imagePullPolicy"] == "Always"
    refs = [e["valueFrom"]["secretKeyRef"] for e in container["env"]]
    assert refs == [{"name": "mongodb-secret", "key": "mongo-root-username"},
                    {"name": "mongodb-secret", "key": "mongo-root-password"}]
    assert svc["spec"]["ports"] == [{"protocol": "TCP", "port": 27017, "targetPort": 27017}]


def fixed_mongo_express() -> str:
    """The learner's repair of mongo-express.yaml: `template:` under `spec:`, `env:` beside `ports:`."""
    out, shift = [], 0
    for line in text_of("mongo-express.yaml").splitlines(keepends=True):
        if line.startswith("template:"):
            shift = 2
        elif line.startswith("     env:"):
            shift = 3
        elif line.startswith("---"):
            shift = 0
        out.append(" " * shift + line)
    return "".join(out)


def test_mongo_express_as_written_applies_nothing(cluster):
    err = refusal(cluster, note("mongo-express.yaml"), ManifestError)
    assert "yaml: line 25: did not find expected key" in str(err)  # the line above `env:` (go-yaml v2)
    assert not cluster.exists("svc", "mongo-express-service")


def test_mongo_express_repaired_runs_on_node_port_30000(cluster):
    apply_ok(cluster, "mongodb-secret.yaml", "mongodb-deployment.yaml", "mongodb-configmap.yaml")
    result = cluster.apply(fixed_mongo_express())
    assert result.actions == ["deployment.apps/mongo-express created", "service/mongo-express-service created"]
    env = result[0]["spec"]["template"]["spec"]["containers"][0]["env"]
    assert env[2]["valueFrom"] == {"configMapKeyRef": {"name": "mongodb-configmap", "key": "database_url"}}
    svc = result[1]["spec"]
    assert svc["type"] == "LoadBalancer" and svc["ports"][0]["nodePort"] == 30000


def test_second_service_on_node_port_30000_is_refused(cluster):
    # The notes' ingress chapter reuses nodePort 30000 while mongo-express-service still holds it.
    cluster.apply(fixed_mongo_express())
    err = refusal(cluster, note("internal-service.yaml"), ApiError)
    assert err.code == 422
    assert str(err) == (
        'The Service "my-internal-service" is invalid: spec.ports[0].nodePort: Invalid value: 30000: '
        "provided port is already allocated"
    )


# --- namespaces ------------------------------------------------------------------------------------


def test_namespaced_configmap_needs_its_namespace_first(cluster):
    err = refusal(cluster, note("namespaced-configmap.yaml"), ApiError)
    assert (err.code, err.reason) == (404, "NotFound")
    namespace(cluster, "my-namespace")
    assert cluster.apply(note("namespaced-configmap.yaml")).actions == ["configmap/my-configmap created"]
    names = [cm["metadata"]["name"] for cm in cluster.get("cm", namespace="my-namespace")]
    assert names == ["kube-root-ca.crt", "my-configmap"]
    assert not cluster.exists("cm", "my-configmap")  # not in `default`


def test_configmap_with_empty_data_is_stored_without_data(cluster):
    namespace(cluster, "my-namespace")
    cm = apply_ok(cluster, "local-configmap-namespaced.yaml")[0]
    assert "data" not in cm and cm["metadata"]["namespace"] == "my-namespace"


def test_services_without_api_version_then_without_ports(cluster):
    fixed = text_of("my-database-services.yaml").replace("kind: Service", "apiVersion: v1\nkind: Service")
    err = refusal(cluster, fixed, ApplyError)
    assert [e.message for e in err.errors] == ['namespaces "test" not found', 'namespaces "prod" not found']
    namespace(cluster, "test")
    namespace(cluster, "prod")
    err = refusal(cluster, fixed, ApplyError)
    assert [str(e) for e in err.errors] == ['The Service "my-database" is invalid: spec.ports: Required value'] * 2


# --- autoscaling -----------------------------------------------------------------------------------


def test_hpa_from_the_notes_is_valid_autoscaling_v2(cluster):
    namespace(cluster, "myapp-ns")
    hpa = apply_ok(cluster, "hpa.yaml")[0]
    spec = hpa["spec"]
    assert (spec["minReplicas"], spec["maxReplicas"]) == (1, 3)
    assert spec["metrics"] == [{"type": "Resource", "resource": {
        "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]
    assert "behavior" not in spec  # pkg/apis/autoscaling/v2/defaults.go fills behavior only when given
    assert hpa["status"] == {"desiredReplicas": 0}  # the only status field without omitempty
    # its target, the notes' `apiVersion: v1` Deployment, cannot exist; the HPA does not need it to
    err = refusal(cluster, note("mydeploy-v1.yaml"), KindNotFoundError)
    assert err.message == NO_MATCH.format("Deployment", "v1")


# --- storage ---------------------------------------------------------------------------------------


def test_pv_goes_in_and_the_claim_with_capacity_is_refused(cluster):
    with pytest.raises(ApplyError) as caught:
        cluster.apply(note("pv-pvc.yaml"))
    assert [a.line() for a in caught.value.applied] == ["persistentvolume/pv created"]
    (claim_error,) = caught.value.errors
    assert claim_error.code == 400 and claim_error.message == (
        'PersistentVolumeClaim in version "v1" cannot be handled as a PersistentVolumeClaim: '
        'strict decoding error: unknown field "spec.capacity"'
    )
    pv = cluster.get("pv", "pv")
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"  # core/v1 defaults.go
    assert pv["spec"]["volumeMode"] == "Filesystem" and pv["spec"]["hostPath"] == {"path": "/mnt/mydata", "type": ""}
    assert not cluster.exists("pvc", "pvc")


def test_claim_asking_with_resources_requests_is_accepted(cluster):
    fixed = text_of("pv-pvc.yaml").replace("  capacity:\n    storage: 10Gi\n...\n",
                                           "  resources:\n    requests:\n      storage: 10Gi\n...\n")
    assert fixed.count("resources:") == 1
    result = cluster.apply(fixed)
    assert result.actions == ["persistentvolume/pv created", "persistentvolumeclaim/pvc created"]
    claim = result[1]
    assert claim["spec"]["volumeMode"] == "Filesystem" and claim["status"]["phase"] == "Pending"


# --- pods and replication controllers --------------------------------------------------------------


def test_kuard_pod_volumes_resources_and_probes(cluster):
    pod = apply_ok(cluster, "kuard-pod.yaml")[0]
    container = pod["spec"]["containers"][0]
    assert container["imagePullPolicy"] == "IfNotPresent"
    for probe, path, delay in (("livenessProbe", "/healthy", 5), ("readinessProbe", "/ready", 30)):
        assert container[probe]["httpGet"] == {"path": path, "port": 8080, "scheme": "HTTP"}
        assert container[probe]["successThreshold"] == 1 and container[probe]["initialDelaySeconds"] == delay
    assert container["resources"]["requests"] == {"cpu": "500m", "memory": "128Mi"}
    volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
    assert volumes["kuard-data"]["hostPath"] == {"path": "/var/lib/kuard", "type": ""}
    assert volumes["kuard-remote-data"]["nfs"] == {"server": "my.nfs.server.local", "path": "/exports"}
    assert any(name.startswith("kube-api-access-") for name in volumes)  # ServiceAccount admission
    assert pod["status"] == {"phase": "Pending", "qosClass": "Burstable"}


def test_rc_template_limits_do_not_become_requests(cluster):
    # SetDefaults_Pod copies limits into requests for Pods only, not for pod templates (core/v1 defaults.go).
    rc = apply_ok(cluster, "rc-node-js-constraints.yaml")[0]
    container = rc["spec"]["template"]["spec"]["containers"][0]
    assert container["resources"] == {"limits": {"memory": "512Mi", "cpu": "1500m"}}
    assert container["imagePullPolicy"] == "Always"  # :latest
    assert rc["spec"]["selector"] == {"name": "node-js-constraints"} and rc["spec"]["replicas"] == 3
    assert rc["status"] == {"replicas": 0}


def test_adding_health_checks_to_the_rc_is_configured(cluster):
    apply_ok(cluster, "rc-node-js.yaml")
    result = cluster.apply(note("rc-node-js-health.yaml"))
    assert result.actions == ["replicationcontroller/node-js configured"]
    container = result[0]["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"] == {"path": "/status/", "port": 80, "scheme": "HTTP"}
    assert container["readinessProbe"]["timeoutSeconds"] == 1
    assert result[0]["metadata"]["generation"] == 2


def test_lifecycle_hooks_keep_the_notes_url_as_a_path(cluster):
    rc = apply_ok(cluster, "rc-apache-hook.yaml")[0]
    hooks = rc["spec"]["template"]["spec"]["containers"][0]["lifecycle"]
    assert hooks["postStart"]["httpGet"] == {
        "path": "http://my.registration-server.com/register/", "port": 80, "scheme": "HTTP"}
    assert hooks["preStop"]["exec"]["command"] == ["/usr/local/bin/apachectl", "-k", "graceful-stop"]


def test_endpoints_port_protocol_defaults_to_tcp(cluster):
    endpoints = apply_ok(cluster, "external-ip-endpoints.yaml")[0]
    assert endpoints["subsets"] == [{"addresses": [{"ip": "192.168.0.1"}], "ports": [{"port": 3306, "protocol": "TCP"}]}]


def test_external_name_service_gets_no_cluster_ip(cluster):
    svc = apply_ok(cluster, "external-database-service.yaml")[0]
    assert svc["spec"] == {"type": "ExternalName", "externalName": "database.company.com", "sessionAffinity": "None"}


def test_pod_document_markers_are_read(cluster):
    pod = apply_ok(cluster, "myapp-pod.yaml")[0]
    assert pod["metadata"]["labels"] == {"zones": "prod", "version": "v1"}
    assert pod["spec"]["containers"][0]["ports"] == [{"containerPort": 8000, "protocol": "TCP"}]


def test_kuard_limits_are_stored_canonical(cluster):
    # resource.Quantity MarshalJSON writes the canonical form: `1000m` -> `1`
    pod = apply_ok(cluster, "kuard-pod.yaml")[0]
    assert pod["spec"]["containers"][0]["resources"]["limits"] == {"cpu": "1", "memory": "256Mi"}


# --- what kubectl prints ---------------------------------------------------------------------------


def test_removed_version_is_printed_as_kubectl_apply_prints_it(cluster):
    # kubectl wraps the REST mapping failure (cli-runtime resource/mapper.go, kubectl cmdutil)
    path = note("myapp-deployment-v1beta1.yaml")
    result = cluster.kubectl(["apply", "-f", str(path)])
    assert result.returncode == 1
    assert result.stderr.rstrip("\n") == (
        f'error: resource mapping not found for name: "myapp-deploy" namespace: "" from {json.dumps(str(path))}: '
        f'{NO_MATCH.format("Deployment", "extensions/v1beta1")}\nensure CRDs are installed first'
    )


def test_server_refusal_is_printed_with_its_source(cluster):
    # cmdutil.AddSourceToErr puts the file into the server's message
    path = note("namespaced-configmap.yaml")
    result = cluster.kubectl(["apply", "-f", str(path)])
    assert result.stderr.rstrip("\n") == (
        f'Error from server (NotFound): error when creating {json.dumps(str(path))}: namespaces "my-namespace" not found'
    )
