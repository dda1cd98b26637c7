"""`kubectl version | cluster-info | api-resources | api-versions | config ...`: what the cluster is.

Registered in `k8scourse.kubectl.command.VERBS`. The simulated cluster answers as a minikube context
named `minikube` does; wording follows staging/src/k8s.io/kubectl/pkg/cmd/{version,clusterinfo,
apiresources,config}.
"""

from __future__ import annotations

import json

from ...api.errors import K8sError
from ...api.version import KUBERNETES_VERSION
from ..command import Invocation, verb
from ..flags import Flag, UsageError
from ..render import to_yaml
from ..tabwriter import tabwrite

CONTEXT = "minikube"
KUSTOMIZE_VERSION = "v5.6.0"
API_SERVER = "https://192.168.49.2:8443"


# /version of kube-apiserver v1.33.1 (as a v1.33 minikube reports it); kubectl v1.33.1 comes from the same commit.
BUILD = {"gitVersion": KUBERNETES_VERSION, "gitCommit": "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828",
         "gitTreeState": "clean", "buildDate": "2025-05-15T08:19:08Z", "goVersion": "go1.24.2", "compiler": "gc",
         "platform": "linux/amd64"}


def version_info(server: bool) -> dict[str, str]:
    """apimachinery version.Info in its JSON field order; the server adds its emulation and compatibility versions."""
    major, minor = KUBERNETES_VERSION.lstrip("v").split(".")[:2]
    info = {"major": major, "minor": minor}
    if server:
        info |= {"emulationMajor": major, "emulationMinor": minor, "minCompatibilityMajor": major,
                 "minCompatibilityMinor": str(int(minor) - 1)}
    return info | BUILD


@verb("version", Flag("output", "o", default=""), Flag("client", takes_value=False),
      summary="Print the client and server version information")
def version(inv: Invocation) -> None:
    """version.go: three lines, or the Version struct as YAML / indented JSON (then a blank line, Fprintln)."""
    output = inv.line["output"]
    if output not in ("", "json", "yaml"):
        raise K8sError("--output must be 'yaml' or 'json'")
    if output:
        data: dict[str, object] = {"clientVersion": version_info(False), "kustomizeVersion": KUSTOMIZE_VERSION}
        if not inv.line["client"]:
            data["serverVersion"] = version_info(True)
        inv.print(to_yaml(data) if output == "yaml" else json.dumps(data, indent=2))
        return
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
    # apiresources.go sortableResource (sort.Stable): by name, by kind, or by default by API group, each then by name
    sort_by = inv.line["sort-by"] or ""
    if sort_by not in ("", "name", "kind"):
        raise K8sError("--sort-by accepts only name or kind")
    resources.sort(key=lambda r: r.plural)
    resources.sort(key=lambda r: {"name": r.plural, "kind": r.kind}.get(sort_by, r.group))
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
            # apiresources.go printContextLessResources (v1.33): verbs sorted and joined with commas
            row += [",".join(sorted(r.verbs)), ",".join(r.categories)]
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


NON_STANDARD_RESOURCES = {"users", "groups", "userextras", "uids", "signers.certificates.k8s.io"}  # cani.go


@verb("auth", Flag("all-namespaces", "A", takes_value=False), Flag("list", takes_value=False),
      Flag("quiet", "q", takes_value=False), Flag("subresource"), Flag("no-headers", takes_value=False),
      summary="Inspect authorization")
def auth(inv: Invocation) -> None:
    """`kubectl auth can-i VERB RESOURCE[/NAME]` (cani.go). The course's user is minikube's cluster-admin, whom
    every access review allows: `yes`. An unknown resource type gets the client's warning first."""
    sub, args = (inv.line.args[:1] or [""])[0], inv.line.args[1:]
    if sub != "can-i":
        raise K8sError(f"kubectl auth {sub} is not available in the course's kubectl; kubectl auth can-i is"
                       if sub else "kubectl auth needs a sub-command: can-i")
    if inv.line["list"]:
        if args:
            raise K8sError("list option must be specified with no arguments")
        raise K8sError("kubectl auth can-i --list is not available in the course's kubectl; the course's user is "
                       "cluster-admin, allowed every verb on every resource")
    if len(args) != 2:
        raise K8sError("you must specify two arguments: verb resource or verb resource/resourceName.\n"
                       "See 'kubectl auth can-i -h' for help and examples.")
    resource = args[1].partition("/")[0].lower()
    if not resource.startswith("/") and resource != "*" and resource not in NON_STANDARD_RESOURCES:
        try:
            inv.backend.registry.resolve(resource)
        except K8sError:
            plural, _, group = resource.partition(".")
            where = f" in group '{group}'" if group else ""
            inv.err.write(f"Warning: the server doesn't have a resource type '{plural}'{where}\n\n")
    if not inv.line["quiet"]:
        inv.print("yes")
