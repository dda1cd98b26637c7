"""`kubectl version | cluster-info | api-resources | api-versions | config ...`: what the cluster is.

Registered in `k8scourse.kubectl.command.VERBS`. The simulated cluster answers as a minikube context
named `minikube` does; wording follows staging/src/k8s.io/kubectl/pkg/cmd/{version,clusterinfo,
apiresources,config}.
"""

from __future__ import annotations

from ...api.errors import K8sError
from ...api.registry import GROUP_ORDER
from ...api.version import KUBERNETES_VERSION
from ..command import Invocation, verb
from ..flags import Flag, UsageError
from ..tabwriter import tabwrite

CONTEXT = "minikube"
KUSTOMIZE_VERSION = "v5.6.0"
API_SERVER = "https://192.168.49.2:8443"


@verb("version", Flag("output", "o", default=""), Flag("client", takes_value=False),
      summary="Print the client and server version information")
def version(inv: Invocation) -> None:
    if inv.line["output"] not in ("", "json", "yaml"):
        raise K8sError("--output must be 'yaml' or 'json'")
    inv.print(f"Client Version: {KUBERNETES_VERSION}")
    inv.print(f"Kustomize Version: {KUSTOMIZE_VERSION}")
    if not inv.line["client"]:
        inv.print(f"Server Version: {KUBERNETES_VERSION}")


@verb("cluster-info", summary="Display cluster information")
def cluster_info(inv: Invocation) -> None:
    if inv.line.args[:1] == ["dump"]:
        raise K8sError("cluster-info dump is not available in the course; use kubectl get and kubectl describe.")
    inv.print(f"Kubernetes control plane is running at {API_SERVER}")
    inv.print(f"CoreDNS is running at {API_SERVER}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy")
    inv.print()
    inv.print("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.")


@verb("api-versions", summary="Print the supported API versions on the server, in the form of \"group/version\"")
def api_versions(inv: Invocation) -> None:
    versions = sorted({rt.api_version for rt in inv.backend.registry.resources}
                      | {"autoscaling/v1"})
    for v in versions:
        inv.print(v)


@verb("api-resources", Flag("namespaced", kind=bool), Flag("api-group"), Flag("output", "o", default=""),
      Flag("no-headers", takes_value=False), Flag("verbs", many=True), Flag("sort-by"),
      Flag("categories", many=True),
      summary="Print the supported API resources on the server")
def api_resources(inv: Invocation) -> None:
    out = inv.line["output"]
    if out not in ("", "wide", "name"):
        raise K8sError(f"--output {out} is not available")
    resources = list(inv.backend.registry.resources)
    if "namespaced" in inv.line.given:
        resources = [r for r in resources if r.namespaced == inv.line["namespaced"]]
    if inv.line["api-group"] is not None:
        resources = [r for r in resources if r.group == inv.line["api-group"]]
    for wanted in inv.line["verbs"]:
        resources = [r for r in resources if all(v in r.verbs for v in wanted.split(","))]
    for category in inv.line["categories"]:
        resources = [r for r in resources if category in r.categories]
    # kubectl sorts by group in discovery order, then by name (default --sort-by is none: discovery order)
    resources.sort(key=lambda r: (GROUP_ORDER.index(r.group) if r.group in GROUP_ORDER else 99, r.plural))
    if out == "name":
        for r in resources:
            inv.print(f"{r.plural}.{r.group}" if r.group else r.plural)
        return
    header = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    if out == "wide":
        header += ["VERBS", "CATEGORIES"]
    rows = [] if inv.line["no-headers"] else [header]
    for r in resources:
        row = [r.plural, ",".join(r.short_names), r.api_version, "true" if r.namespaced else "false", r.kind]
        if out == "wide":
            row += [f"[{' '.join(sorted(r.verbs))}]", ",".join(r.categories)]
        rows.append(row)
    inv.out.write(tabwrite(rows))


@verb("config", Flag("current", takes_value=False), Flag("namespace"), Flag("minify", takes_value=False),
      Flag("output", "o", default=""), Flag("no-headers", takes_value=False),
      summary="Modify kubeconfig files")
def config(inv: Invocation) -> None:
    sub = inv.line.args[:1]
    rest = inv.line.args[1:]
    if sub == ["current-context"]:
        inv.print(CONTEXT)
    elif sub == ["get-contexts"]:
        if rest and rest[0] != CONTEXT:
            raise K8sError(f'context {rest[0]} not found')
        if inv.line["output"] == "name":
            inv.print(CONTEXT)
            return
        rows = [] if inv.line["no-headers"] else [["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]]
        rows.append(["*", CONTEXT, CONTEXT, CONTEXT, inv.session.namespace])
        inv.out.write(tabwrite(rows))
    elif sub == ["use-context"]:
        if not rest:
            raise UsageError("Unexpected args: []", "See 'kubectl config use-context --help' for usage.")
        if rest[0] != CONTEXT:
            raise K8sError(f'no context exists with the name: "{rest[0]}"')
        inv.print(f'Switched to context "{CONTEXT}".')
    elif sub == ["set-context"]:
        target = rest[0] if rest else (CONTEXT if inv.line["current"] else "")
        if not target:
            raise K8sError("you must specify a non-empty context name or --current")
        if target != CONTEXT:
            raise K8sError(f'the simulated cluster has one context, "{CONTEXT}"; create other contexts on a real '
                           "cluster")
        if "namespace" in inv.line.given:
            inv.session.namespace = inv.line["namespace"] or "default"
        inv.print(f'Context "{CONTEXT}" modified.')
    elif sub == ["view"]:
        inv.print(_kubeconfig(inv.session.namespace))
    elif sub == ["get-clusters"]:
        inv.print("NAME")
        inv.print(CONTEXT)
    else:
        raise K8sError(f"kubectl config {' '.join(sub)} is not available in the course; available: current-context, "
                       "get-contexts, use-context, set-context, view, get-clusters")


def _kubeconfig(namespace: str) -> str:
    return "\n".join([
        "apiVersion: v1",
        "clusters:",
        "- cluster:",
        "    certificate-authority: /home/learner/.minikube/ca.crt",
        f"    server: {API_SERVER}",
        f"  name: {CONTEXT}",
        "contexts:",
        "- context:",
        f"    cluster: {CONTEXT}",
        f"    namespace: {namespace}",
        f"    user: {CONTEXT}",
        f"  name: {CONTEXT}",
        f"current-context: {CONTEXT}",
        "kind: Config",
        "preferences: {}",
        "users:",
        f"- name: {CONTEXT}",
        "  user:",
        "    client-certificate: /home/learner/.minikube/profiles/minikube/client.crt",
        "    client-key: /home/learner/.minikube/profiles/minikube/client.key",
    ])
