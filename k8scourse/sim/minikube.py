"""A simulated `minikube` command over the simulated cluster: what minikube v1.36 (docker driver, Linux) prints.

Called by `SimulatedCluster.minikube(argv)` (and so by `Cluster.minikube()` and the `%minikube` magic), which
returns (stdout, stderr, exit code). Commands: `addons list|enable|disable`, `ip`, `status`, `service`,
`tunnel` (and `tunnel --cleanup` to stop it), `node list|stop|start`, `version`. `minikube kubectl -- ARGS`
is answered one layer up, by `Cluster.minikube`, since kubectl lives above the simulator. Wording comes from
kubernetes/minikube v1.36.0 (cmd/minikube/cmd/*.go, pkg/addons, pkg/minikube/out and reason): styled lines
go to stdout, exit messages to stderr between blank stdout lines, with minikube's exit codes.

`minikube tunnel` runs until interrupted on a real machine; here it switches the tunnel on and returns its
first status report. While on, LoadBalancer Services get their ClusterIP as EXTERNAL-IP, as the route-based
tunnel of the docker driver on Linux gives them (pkg/minikube/tunnel/loadbalancer_patcher.go);
`minikube(["tunnel", "--cleanup"])` switches it off again (the addresses are removed, as when the real
tunnel process ends) and says so.
"""

from __future__ import annotations

import hashlib
import io
import json
import weakref
from typing import TYPE_CHECKING, Any

from ..api.objects import deep_copy
from ..api.registry import REGISTRY
from ..api.version import CONTAINER_RUNTIME, KUBERNETES_VERSION, MINIKUBE_VERSION
from .addons.catalog import ADDONS
from .bootstrap import MINIKUBE_COMMIT
from .tablewriter import render

if TYPE_CHECKING:
    from .cluster import SimulatedCluster

Obj = dict[str, Any]
SERVICES = REGISTRY.resolve("services")
PODS = REGISTRY.resolve("pods")
NODES = REGISTRY.resolve("nodes")
PROFILE = "minikube"
KIC_VERSION = "v0.0.47"  # pkg/drivers/kic/types.go Version
# pkg/minikube/reason: exit codes
EX_PROGRAM_ERROR, EX_PROGRAM_USAGE, EX_GUEST_NOT_FOUND = 10, 14, 85
EX_SVC_NOT_FOUND, EX_SVC_UNSUPPORTED = 115, 116
ISSUE_BOX_WIDTH = 91


class Exit(Exception):
    """minikube leaving with a code (what exit.Message / os.Exit do)."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


class Terminal:
    """stdout and stderr of one command, with minikube's styled-line helpers (pkg/minikube/out)."""

    def __init__(self) -> None:
        self.out = io.StringIO()
        self.err = io.StringIO()

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def styled(self, prefix: str, text: str) -> None:
        self.out.write(prefix + text + "\n")

    def fail(self, kind: str, code: int, message: str, issue_link: bool = False) -> None:
        """exit.Message / exit.Error: `❌  Exiting due to KIND: message` framed by blank stdout lines."""
        self.line()
        self.err.write(f"❌  Exiting due to {kind}: {message}\n")
        if issue_link:
            self.err.write("\n" + _issue_box())
        self.line()
        raise Exit(code)


def _issue_box() -> str:
    """displayGitHubIssueMessage, boxed as out.BoxedErr draws it."""
    log = "/tmp/minikube_" + hashlib.sha1(b"k8scourse").hexdigest()[:40] + "_0.log"
    lines = ["", "😿  If the above advice does not help, please let us know:",
             "👉  https://github.com/kubernetes/minikube/issues/new/choose", "",
             "Please run `minikube logs --file=logs.txt` and attach logs.txt to the GitHub issue.",
             "Please also attach the following file to the GitHub issue:", f"- {log}", ""]
    from .tablewriter import display_width

    inner = ISSUE_BOX_WIDTH
    body = "".join(f"│    {text}{' ' * (inner - 4 - display_width(text))}│\n" for text in lines)
    return f"╭{'─' * inner}╮\n{body}╰{'─' * inner}╯\n"


def run_minikube(cluster: SimulatedCluster, argv: list[str]) -> tuple[str, str, int]:
    """Run one minikube command line on `cluster`."""
    term = Terminal()
    code = 0
    try:
        _dispatch(cluster, term, argv)
    except Exit as done:
        code = done.code
    return term.out.getvalue(), term.err.getvalue(), code


def _dispatch(cluster: SimulatedCluster, term: Terminal, argv: list[str]) -> None:
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    handlers = {"addons": _addons, "ip": _ip, "status": _status, "service": _service, "tunnel": _tunnel,
                "node": _node, "version": _version}
    if command in handlers:
        handlers[command](cluster, term, rest)
        return
    if command in ("kubectl",):
        term.err.write("minikube kubectl runs through k8scourse.Cluster.minikube (the simulator has no kubectl).\n")
        raise Exit(1)
    if not command:
        term.err.write("Usage: minikube COMMAND; the simulated minikube knows: " + ", ".join(sorted(handlers))
                       + ", kubectl.\n")
        raise Exit(EX_PROGRAM_USAGE)
    # cobra's unknown-command error (minikube's root command)
    term.err.write(f'Error: unknown command "{command}" for "minikube"\n'
                   "Run 'minikube --help' for usage.\n")
    raise Exit(1)


# --- addons ------------------------------------------------------------------------------------------------

def _addons(cluster: SimulatedCluster, term: Terminal, args: list[str]) -> None:
    sub, rest = (args[0], args[1:]) if args else ("", [])
    if sub == "list":
        _addons_list(cluster, term, rest)
    elif sub == "enable":
        _addons_enable(cluster, term, rest)
    elif sub == "disable":
        _addons_disable(cluster, term, rest)
    else:
        term.err.write("Usage: minikube addons SUBCOMMAND [flags]; the simulated minikube knows: list, enable, "
                       "disable.\n")
        raise Exit(EX_PROGRAM_USAGE)


def _addons_list(cluster: SimulatedCluster, term: Terminal, args: list[str]) -> None:
    output = "list"
    if args[:1] in (["-o"], ["--output"]) and len(args) == 2:
        output = args[1]
    elif len(args) == 1 and args[0].startswith(("-o=", "--output=")):
        output = args[0].split("=", 1)[1]
    elif args:
        term.fail("MK_USAGE", EX_PROGRAM_USAGE, "usage: minikube addons list")
    if output == "json":
        data = {name: {"Profile": PROFILE, "Status": _status_word(cluster, name)} for name in sorted(ADDONS)}
        term.line(json.dumps(data, separators=(",", ":"), sort_keys=True))
        return
    if output != "list":
        term.fail("MK_USAGE", EX_PROGRAM_USAGE, f"invalid output format: {output}. Valid values: 'list', 'json'")
    rows = [[name, PROFILE, _status_cell(cluster, name), addon.maintainer or "3rd party (unknown)"]
            for name, addon in sorted(ADDONS.items())]
    term.out.write(render(["Addon Name", "Profile", "Status", "Maintainer"], rows))


def _status_word(cluster: SimulatedCluster, name: str) -> str:
    return "enabled" if cluster.addons.is_enabled(name) else "disabled"


def _status_cell(cluster: SimulatedCluster, name: str) -> str:
    # addons_list.go: stringFromStatus + " " + iconFromStatus ("✅" or three spaces)
    return f"{_status_word(cluster, name)} " + ("✅" if cluster.addons.is_enabled(name) else "   ")


_DEPRECATED = {
    "heapster": ("metrics-server", "using metrics-server addon, heapster is deprecated"),
    "efk": ("", "The current images used in the efk addon contain Log4j vulnerabilities, the addon will be disabled "
                "until images are updated, see: https://github.com/kubernetes/minikube/issues/15280"),
    "nvidia-gpu-device-plugin": ("nvidia-device-plugin", "The nvidia-gpu-device-plugin addon is deprecated and it's "
                                 "functionality is merged inside of nvidia-device-plugin addon. It will be removed in "
                                 "a future release. Please use the nvidia-device-plugin addon instead. For more "
                                 "details, visit: https://github.com/kubernetes/minikube/issues/19114."),
}


def _addons_enable(cluster: SimulatedCluster, term: Terminal, args: list[str]) -> None:
    if len(args) != 1:
        term.fail("MK_USAGE", EX_PROGRAM_USAGE, "usage: minikube addons enable ADDON_NAME")
    name = args[0]
    if name in _DEPRECATED:
        replacement, message = _DEPRECATED[name]
        if not replacement:
            term.fail("MK_ADDON_ENABLE", EX_PROGRAM_ERROR, message)
        term.styled("⌛  ", message)
        name = replacement
    addon = ADDONS.get(name)
    if addon is not None and not addon.modelled:
        term.err.write(f"The simulated minikube does not model the '{name}' addon; it models: "
                       + ", ".join(n for n, a in sorted(ADDONS.items()) if a.modelled) + ".\n")
        raise Exit(EX_PROGRAM_ERROR)
    if addon is not None:
        _maintainer_notes(term, name, addon)
    if addon is None:
        term.fail("MK_ADDON_ENABLE", EX_PROGRAM_ERROR, f"enable failed: run callbacks: {name} is not a valid addon",
                  issue_link=True)
    assert addon is not None
    for image in addon.images:  # GenerateTemplateData: the digest is not shown
        term.styled("    ▪ ", f"Using image {image.split('@', 1)[0]}")
    if addon.manifest:
        cluster.addons.apply(addon)
    if addon.verify_selector:
        term.styled("🔎  ", f"Verifying {name} addon...")
        if not cluster.addons.wait_for_pods(addon):
            term.fail("MK_ADDON_ENABLE", EX_PROGRAM_ERROR,
                      f"enable failed: run callbacks: running callbacks: [waiting for {addon.verify_selector} pods: "
                      "context deadline exceeded]", issue_link=True)
    cluster.addons.enabled.add(name)
    term.styled("🌟  ", f"The '{name}' addon is enabled")


def _maintainer_notes(term: Terminal, name: str, addon: Any) -> None:
    """enable.go: who maintains the addon."""
    if addon.official:
        term.styled("💡  ", f"{name} is an addon maintained by {addon.maintainer}. For any concerns contact minikube "
                           "on GitHub.\nYou can view the list of minikube maintainers at: "
                           "https://github.com/kubernetes/minikube/blob/master/OWNERS")
        return
    term.styled("❗  ", f"{name} is a 3rd party addon and is not maintained or verified by minikube maintainers, "
                       "enable at your own risk.")
    if addon.verified_maintainer:
        term.styled("💡  ", f"{name} is maintained by {addon.maintainer} for any concerns contact "
                           f"{addon.verified_maintainer} on GitHub.")
    else:
        term.styled("❗  ", f"{name} does not currently have an associated maintainer.")


def _addons_disable(cluster: SimulatedCluster, term: Terminal, args: list[str]) -> None:
    if len(args) != 1:
        term.fail("MK_USAGE", EX_PROGRAM_USAGE, "usage: minikube addons disable ADDON_NAME")
    name = args[0]
    if name == "heapster":
        term.fail("SVC_ADDON_UNSUPPORTED", EX_SVC_UNSUPPORTED,
                  "The heapster addon is depreciated. please try to disable metrics-server instead")
    addon = ADDONS.get(name)
    if addon is None:
        term.fail("SVC_ADDON_UNSUPPORTED", EX_SVC_UNSUPPORTED, f"\"'{name}' is not a valid minikube addon")
    assert addon is not None
    if cluster.addons.is_enabled(name):
        if not addon.manifest:
            term.err.write(f"The simulated minikube does not model disabling the '{name}' addon.\n")
            raise Exit(EX_PROGRAM_ERROR)
        cluster.addons.remove(addon)
        cluster.addons.enabled.discard(name)
    term.styled("🌑  ", f"\"The '{name}' addon is disabled")  # disable.go's stray quote, as minikube prints it


# --- ip, status, node, version -------------------------------------------------------------------------------

def _nodes(cluster: SimulatedCluster) -> list[Obj]:
    """The cluster's nodes in minikube's order (control plane, then minikube-m02, ...)."""
    return sorted(cluster.api.select(NODES), key=lambda n: (n["metadata"]["name"] != PROFILE, n["metadata"]["name"]))


def _node_ip(node: Obj) -> str:
    return next((a["address"] for a in node["status"].get("addresses") or [] if a.get("type") == "InternalIP"), "")


def _node_running(cluster: SimulatedCluster, name: str) -> bool:
    kubelet = cluster.kubelets.get(name)
    return kubelet is not None and kubelet.running


def _retrieve(cluster: SimulatedCluster, term: Terminal, name: str) -> Obj:
    node = next((n for n in _nodes(cluster) if n["metadata"]["name"] == name), None)
    if node is None:
        term.fail("GUEST_NODE_RETRIEVE", EX_GUEST_NOT_FOUND, f"retrieving node: Could not find node {name}",
                  issue_link=True)
    assert node is not None
    return node


def _ip(cluster: SimulatedCluster, term: Terminal, args: list[str]) -> None:
    name = PROFILE
    if args[:1] in (["-n"], ["--node"]) and len(args) == 2:
        name = args[1]
    term.line(_node_ip(_retrieve(cluster, term, name)))


def _status(cluster: SimulatedCluster, term: Terminal, args: list[str]) -> None:
    """status.go defaultStatusFormat / workerStatusFormat for every node; exit code from the flags."""
    code = 0
    for node in _nodes(cluster):
        name = node["metadata"]["name"]
        state = "Running" if _node_running(cluster, name) else "Stopped"
        if name == PROFILE:
            term.out.write(f"{name}\ntype: Control Plane\nhost: {state}\nkubelet: {state}\napiserver: {state}\n"
                           f"kubeconfig: {'Configured' if state == 'Running' else 'Stopped'}\n\n")
            if state != "Running":
                code |= 1 | 2 | 4
        else:
            term.out.write(f"{name}\ntype: Worker\nhost: {state}\nkubelet: {state}\n\n")
            if state != "Running":
                code |= 1 | 2
    if code:
        raise Exit(code)


def _node(cluster: SimulatedCluster, term: Terminal, args: list[str]) -> None:
    sub, rest = (args[0], args[1:]) if args else ("", [])
    if sub == "list":
        for node in _nodes(cluster):
            term.line(f"{node['metadata']['name']}\t{_node_ip(node)}")
    elif sub == "stop":
        if not rest:
            term.fail("MK_USAGE", EX_PROGRAM_USAGE, "Usage: minikube node stop [name]")
        name = _retrieve(cluster, term, rest[0])["metadata"]["name"]
        term.styled("✋  ", f'Stopping node "{name}"  ...')
        term.styled("🛑  ", f'Powering off "{name}" via SSH ...')
        if _node_running(cluster, name):
            cluster.stop_node(name)
        term.styled("🛑  ", f"Successfully stopped node {name}")
    elif sub == "start":
        if not rest:
            term.fail("MK_USAGE", EX_PROGRAM_USAGE, "Usage: minikube node start [name]")
        name = _retrieve(cluster, term, rest[0])["metadata"]["name"]
        if _node_running(cluster, name):
            term.styled("✅  ", f"{rest[0]} is already running")
            return
        role = "control-plane" if name == PROFILE else "worker"
        term.styled("👍  ", f'Starting "{name}" {role} node in "{PROFILE}" cluster')
        term.styled("🚜  ", f"Pulling base image {KIC_VERSION} ...")
        term.styled("🔄  ", f'Restarting existing docker container for "{name}" ...')
        term.styled("🐳  ", f"Preparing Kubernetes {KUBERNETES_VERSION} on Docker "
                           f"{CONTAINER_RUNTIME.split('//', 1)[1]} ...")
        term.styled("🔎  ", "Verifying Kubernetes components...")
        cluster.start_node(name)
        term.styled("😄  ", f"Successfully started node {name}!")
    else:
        term.err.write("Usage: minikube node SUBCOMMAND; the simulated minikube knows: list, stop, start.\n")
        raise Exit(EX_PROGRAM_USAGE)


def _version(cluster: SimulatedCluster, term: Terminal, args: list[str]) -> None:
    if "--short" in args:
        term.line(MINIKUBE_VERSION)
        return
    term.line(f"minikube version: {MINIKUBE_VERSION}")
    term.line(f"commit: {MINIKUBE_COMMIT}")


# --- service and tunnel ----------------------------------------------------------------------------------------

def _service(cluster: SimulatedCluster, term: Terminal, args: list[str]) -> None:
    namespace, url_mode, names = "default", False, []
    items = iter(args)
    for arg in items:
        if arg == "--url":
            url_mode = True
        elif arg in ("-n", "--namespace"):
            namespace = next(items, "default")
        elif arg.startswith(("--namespace=", "-n=")):
            namespace = arg.split("=", 1)[1]
        else:
            names.append(arg)
    if not names:
        term.fail("MK_USAGE", EX_PROGRAM_USAGE, "You must specify service name(s) or --all")
    for name in names:
        _one_service(cluster, term, namespace, name, url_mode)


def _one_service(cluster: SimulatedCluster, term: Terminal, namespace: str, name: str, url_mode: bool) -> None:
    svc = cluster.api.peek(SERVICES, name, namespace)
    if svc is None:
        term.fail("SVC_NOT_FOUND", EX_SVC_NOT_FOUND,
                  f"Service '{name}' was not found in '{namespace}' namespace.\nYou may select another namespace by "
                  f"using 'minikube service {name} -n <namespace>'. Or list out all the services using "
                  "'minikube service list'")
    assert svc is not None
    ip = _node_ip(_nodes(cluster)[0])
    names, urls = [], []
    for port in svc["spec"].get("ports") or []:  # service.go printURLsForService
        if port.get("nodePort"):
            names.append(f"{port['name']}/{port['port']}" if port.get("name") else str(port["port"]))
            urls.append(f"http://{ip}:{port['nodePort']}")
    if not url_mode:
        row = [namespace, name, "\n".join(names), "\n".join(urls)] if urls else [namespace, name, "", "No node port"]
        term.out.write(render(["Namespace", "Name", "Target Port", "URL"], [row]))
    if not urls:
        term.styled("😿  ", f"service {namespace}/{name} has no node port")
        term.err.write(f'❗  Services [{namespace}/{name}] have type "ClusterIP" not meant to be exposed, however '
                       "for local development minikube allows you to access this !\n")
        return
    if url_mode:
        term.line("\n".join(urls))
    _check_service_pods(cluster, term, svc)
    if not url_mode:
        for _ in urls[:1]:
            term.styled("🎉  ", f"Opening service {namespace}/{name} in default browser...")


def _check_service_pods(cluster: SimulatedCluster, term: Terminal, svc: Obj) -> None:
    """service.CheckServicePods: a NodePort or LoadBalancer Service needs a Running pod behind it."""
    from ..api.selectors import selector_from_map

    selector = svc["spec"].get("selector") or {}
    matcher = selector_from_map(selector)
    pods = cluster.api.select(PODS, svc["metadata"]["namespace"])
    if any(matcher.matches(p["metadata"].get("labels") or {}) and (p.get("status") or {}).get("phase") == "Running"
           for p in pods):
        return
    term.fail("SVC_UNREACHABLE", EX_SVC_NOT_FOUND,
              f"service not available: no running pod for service {svc['metadata']['name']} found", issue_link=True)


def _tunnel(cluster: SimulatedCluster, term: Terminal, args: list[str]) -> None:
    tunnel = _tunnel_state(cluster)
    if "--cleanup" in args or "-c" in args:
        tunnel["on"] = False
        for svc in _load_balancers(cluster):
            _set_external_ip(cluster, svc, None)
        term.line("Tunnel stopped: LoadBalancer Services have no EXTERNAL-IP until `minikube tunnel` runs again.")
        return
    tunnel["on"] = True
    patched = [svc["metadata"]["name"] for svc in _load_balancers(cluster)]
    for svc in _load_balancers(cluster):
        _set_external_ip(cluster, svc, svc["spec"].get("clusterIP"))
    ip = _node_ip(_nodes(cluster)[0])
    # tunnel/reporter.go simpleReporter, first report
    term.out.write(f"Status:\t\n\tmachine: {PROFILE}\n\tpid: {tunnel['pid']}\n\troute: 10.96.0.0/12 -> {ip}\n"
                   f"\tminikube: Running\n\tservices: [{', '.join(patched)}]\n    errors: \n"
                   "\t\tminikube: no errors\n\t\trouter: no errors\n\t\tloadbalancer emulator: no errors\n")


_TUNNELS: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def _tunnel_state(cluster: SimulatedCluster) -> dict[str, Any]:
    if cluster not in _TUNNELS:
        _TUNNELS[cluster] = {"on": False, "pid": 40000 + cluster.rng.randrange(20000)}
    return _TUNNELS[cluster]


def tunnel_running(cluster: SimulatedCluster) -> bool:
    """Whether `minikube tunnel` is on. LoadBalancer Services created after it started get their address the
    next time `minikube tunnel` runs."""
    return _tunnel_state(cluster)["on"]


def _load_balancers(cluster: SimulatedCluster) -> list[Obj]:
    return [s for s in cluster.api.select(SERVICES, None) if s["spec"].get("type") == "LoadBalancer"]


def _set_external_ip(cluster: SimulatedCluster, svc: Obj, ip: str | None) -> None:
    """loadbalancer_patcher.go: status.loadBalancer.ingress = [{ip: ClusterIP}] (removed when the tunnel ends)."""
    updated = deep_copy(svc)
    updated.setdefault("status", {})["loadBalancer"] = {"ingress": [{"ip": ip}]} if ip else {}
    if updated["status"] == svc.get("status"):
        return
    cluster.api.update(SERVICES, updated, svc["metadata"]["namespace"], subresource="status")
