"""What the addons' images do once their containers start: the ingress-nginx controller and kube-webhook-certgen.

Registered in the image programs (`k8scourse.sim.images.programs.PROGRAMS`) when `k8scourse.sim.addons` is
imported; the image catalogue names them (`program="ingress-nginx"`, `"kube-webhook-certgen"`). How the
controller answers HTTP lives in `k8scourse.sim.network.ingress`; what it writes to the API (Ingress
status, Sync events) and what certgen's `create` stores (the webhook Secret) in `ingress_nginx.py`.
"""

from __future__ import annotations

from ..images.catalogue import ImageSpec
from ..images.process import Listen, Out, Program, ProgramContext, Serve, UseMemory
from ..images.programs import program

CONTROLLER_RELEASE = "v1.12.2"
CONTROLLER_BUILD = "996743ea6804324c549a3d459395f2ce0e62c66e"  # the controller-v1.12.2 tag
CONTROLLER_NGINX = "1.25.5"  # images/nginx/rootfs/build.sh NGINX_VERSION
# ingress-nginx version/version.go String(); nginx.Version() is `nginx -v`'s line, newline included
CONTROLLER_BANNER = f"""-------------------------------------------------------------------------------
NGINX Ingress controller
  Release:       {CONTROLLER_RELEASE}
  Build:         {CONTROLLER_BUILD}
  Repository:    https://github.com/kubernetes/ingress-nginx
  nginx version: nginx/{CONTROLLER_NGINX}

-------------------------------------------------------------------------------

"""
CONTROLLER_PORTS = (80, 443, 8443, 10254)  # http, https, the admission webhook, health and metrics


@program("ingress-nginx")
def ingress_nginx_controller(spec: ImageSpec, tag: str, ctx: ProgramContext) -> Program:
    """/nginx-ingress-controller: prints its banner, then serves HTTP(S), the webhook and /healthz."""
    yield UseMemory(spec.memory)
    yield Out(CONTROLLER_BANNER)
    for port in CONTROLLER_PORTS:
        yield Listen(port)
    yield Serve()
    return 0


def _logrus(ctx: ProgramContext, message: str) -> Out:
    """logrus' JSONFormatter, certgen's default `--log-format json` (keys sorted, RFC 3339 time)."""
    stamp = ctx.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    return Out(f'{{"level":"info","msg":"{message}","time":"{stamp}"}}\n', "stderr")


@program("kube-webhook-certgen")
def kube_webhook_certgen(spec: ImageSpec, tag: str, ctx: ProgramContext) -> Program:
    """`create` makes the webhook's CA and certificate; `patch` puts the CA into the webhook configuration."""
    args = ctx.argv[1:]
    yield UseMemory(spec.memory)
    if args[:1] == ["create"]:
        yield _logrus(ctx, "creating new secret")  # images/kube-webhook-certgen/rootfs/cmd/create.go
    elif args[:1] == ["patch"]:
        flags = dict(a[2:].split("=", 1) for a in args[1:] if a.startswith("--") and "=" in a)
        name = flags.get("webhook-name", "")
        mutating = flags.get("patch-mutating", "true")
        validating = flags.get("patch-validating", "true")
        policy = flags.get("patch-failure-policy", "")
        # pkg/k8s/k8s.go PatchWebhookConfigurations
        yield _logrus(ctx, f"patching webhook configurations '{name}' mutating={mutating}, "
                           f"validating={validating}, failurePolicy={policy}")
        yield _logrus(ctx, "Patched hook(s)")
    else:
        yield Out("Use kube-webhook-certgen [command] --help for more information\n", "stderr")
        return 1
    return 0
