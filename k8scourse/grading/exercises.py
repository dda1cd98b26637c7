"""The catalogue of graded exercises: what each asks, the state it starts from, its checks and its cells.

Read by `check()`/`start()` (runner), by class grading, and by `notebooks`, which builds the notebooks in
`exercises/` and `solutions/` from these definitions. Points are whole numbers; hidden checks are graded
by `k8scourse grade` only.
"""

from __future__ import annotations

from ..api.errors import K8sError
from . import checks as c
from .model import Cell, Check, CheckContext, Exercise, Obj, Predicate, Verdict
from .probes import PersistenceProbe


def _deployment(name: str, replicas: int, labels: dict[str, str], port_name: str | None = None) -> Obj:
    port: Obj = {"containerPort": 80}
    if port_name:
        port["name"] = port_name
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "labels": dict(labels)},
            "spec": {"replicas": replicas, "selector": {"matchLabels": dict(labels)},
                     "template": {"metadata": {"labels": dict(labels)},
                                  "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                                                           "ports": [port]}]}}}}


def _solution(body: str, magic: str = "%%apply") -> str:
    """A solution cell: nbgrader's solution markers around the answer, after the cell magic if any."""
    head = f"{magic}\n" if magic else ""
    return f"{head}# BEGIN SOLUTION\n{body.strip()}\n# END SOLUTION"


DEPLOYMENTS_1 = Exercise(
    id="deployments-1",
    title="Run a web server with a Deployment",
    instructions="""\
Create a **Deployment** named `webapp` that keeps **3 replicas** of the image `nginx:1.27` running.

- Its pods carry the labels `app: webapp` and `tier: frontend`.
- The container declares the port it listens on (nginx listens on port 80).
- Only the Deployment's pods may carry `app=webapp`: do not create extra pods by hand.

Use `%%apply` with a manifest, or `%kubectl create deployment ...` and friends: any way that leaves the
cluster in that state is right.""",
    cells=(Cell("answer", "# Your answer: a %%apply cell with the Deployment's manifest, or %kubectl commands.\n",
                _solution("""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: webapp
spec:
  replicas: 3
  selector:
    matchLabels:
      app: webapp
  template:
    metadata:
      labels:
        app: webapp
        tier: frontend
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80""")),),
    checks=(
        Check("deployment-exists", "The Deployment `webapp` exists", 1,
              c.exists("deployments", "webapp", "Deployment"),
              "Create it with `kind: Deployment` and `metadata.name: webapp` (apiVersion apps/v1)."),
        Check("three-ready-replicas", "`webapp` has 3 ready replicas", 2, c.deployment_ready("webapp", 3),
              "Set `spec.replicas: 3`, then look at `%kubectl get deploy,pods` for pods that are not Running."),
        Check("runs-nginx", "The pods run nginx:1.27", 1, c.workload_runs_image("deployment", "webapp", "nginx:1.27"),
              "The image goes in `spec.template.spec.containers[].image`, with its tag."),
        Check("pods-labelled", "The pods are labelled app=webapp, tier=frontend", 1,
              c.pods_carry_labels("deployment", "webapp", {"app": "webapp", "tier": "frontend"}),
              "Pods get their labels from `spec.template.metadata.labels`."),
        Check("no-stray-pods", "Only the Deployment's pods are labelled app=webapp", 1,
              c.only_workload_pods_match("app=webapp", "deployment", "webapp"),
              "Delete pods you created by hand: `%kubectl delete pod NAME`.", hidden=True),
    ),
)

SERVICES_1 = Exercise(
    id="services-1",
    title="Expose a Deployment with a Service",
    instructions="""\
The cluster already runs two Deployments: `shop` (the web shop, pods labelled `app: shop, tier: web`) and
`shop-admin` (its admin console, pods labelled `app: shop, tier: admin`). Both run nginx on port 80.

Create a **Service** named `shop` of type ClusterIP that

- listens on port **8080**,
- forwards to the port the `shop` pods' container declares,
- sends traffic to the `shop` web pods **only**, never to the admin console.

`%kubectl get pods --show-labels` and `%kubectl get endpoints shop` help you see what the Service selects.""",
    setup=(_deployment("shop", 2, {"app": "shop", "tier": "web"}, "http"),
           _deployment("shop-admin", 1, {"app": "shop", "tier": "admin"})),
    cells=(Cell("answer", "# Your answer: the Service `shop` (a %%apply cell, or %kubectl expose ...).\n",
                _solution("""
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
    tier: web
  ports:
  - port: 8080
    targetPort: http""")),),
    checks=(
        Check("service-exists", "The Service `shop` exists", 1, c.exists("services", "shop", "Service"),
              "A Service is `apiVersion: v1`, `kind: Service`."),
        Check("selects-web-pods", "The Service selects exactly the `shop` pods", 2,
              c.service_selects_workload("shop", "deployment", "shop"),
              "`spec.selector` must match the labels of the web pods and not those of the admin pods: "
              "`app: shop` alone matches both."),
        Check("target-port", "The Service forwards to the containers' port", 2,
              c.service_reaches_container_port("shop"),
              "`targetPort` is the container's port (80, or its name `http`); `port` is the Service's own."),
        Check("port-8080", "The Service listens on port 8080", 1, c.service_port("shop", 8080, "ClusterIP"),
              "Set `ports[].port: 8080` and leave the type ClusterIP."),
        Check("survives-rollouts", "The selector does not depend on a pod-template-hash", 1,
              c.selector_avoids_label("shop", "pod-template-hash"),
              "Select on labels you chose, which stay the same across rollouts.", hidden=True),
    ),
)

CONFIG_1 = Exercise(
    id="config-1",
    title="Configuration from a ConfigMap and a Secret",
    instructions="""\
The web application `webapp` needs two settings:

- `APP_MODE`, which must be `production`: store it in a **ConfigMap** named `webapp-config`;
- `DB_PASSWORD`, which is `k8s-r0cks!`: store it in a **Secret** named `webapp-secret`, under the key
  `DB_PASSWORD`. The password must not appear in clear text in the Deployment.

Then create a **Deployment** `webapp` with **2 replicas** of `nginx:1.27` whose container sees both settings as
environment variables (`APP_MODE` and `DB_PASSWORD`).""",
    cells=(Cell("answer", "# Your answer: the ConfigMap, the Secret and the Deployment.\n",
                _solution("""
apiVersion: v1
kind: ConfigMap
metadata:
  name: webapp-config
data:
  APP_MODE: production
---
apiVersion: v1
kind: Secret
metadata:
  name: webapp-secret
type: Opaque
stringData:
  DB_PASSWORD: k8s-r0cks!
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: webapp
spec:
  replicas: 2
  selector:
    matchLabels:
      app: webapp
  template:
    metadata:
      labels:
        app: webapp
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        envFrom:
        - configMapRef:
            name: webapp-config
        env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: webapp-secret
              key: DB_PASSWORD""")),),
    checks=(
        Check("configmap-consumed", "APP_MODE reaches the container from the ConfigMap", 2,
              c.configmap_consumed("deployment", "webapp", "webapp-config", {"APP_MODE": "production"}),
              "Use `envFrom: [{configMapRef: {name: webapp-config}}]` or an env entry with `configMapKeyRef`."),
        Check("password-from-secret", "DB_PASSWORD reaches the container from the Secret", 2,
              c.env_from_secret("deployment", "webapp", "DB_PASSWORD", "webapp-secret", "DB_PASSWORD"),
              "Use an env entry with `valueFrom.secretKeyRef` (name webapp-secret, key DB_PASSWORD)."),
        Check("no-clear-text-password", "The password is not in clear text in the Deployment", 1,
              c.value_not_in_plain_text("deployment", "webapp", "webapp-secret", "DB_PASSWORD"),
              "Refer to the Secret instead of writing `value: ...` in the Deployment."),
        Check("two-ready-replicas", "`webapp` has 2 ready replicas", 1, c.deployment_ready("webapp", 2),
              "A pod whose ConfigMap or Secret is missing stays in CreateContainerConfigError: "
              "`%kubectl describe pod` says which."),
        Check("password-not-in-configmap", "No ConfigMap holds the password", 1,
              c.value_not_in_configmaps("webapp-secret", "DB_PASSWORD"),
              "Passwords go in Secrets only.", hidden=True),
    ),
)


def _template_labels(name: str, labels: dict[str, str]) -> Predicate:
    """The Deployment's pod template carries the labels, so pods it creates later get them too."""

    def predicate(ctx: CheckContext) -> Verdict:
        deploy = c.get_object(ctx, "deployments", name)
        if deploy is None:
            return Verdict(False, f"There is no Deployment `{name}` in the namespace.")
        have = deploy["spec"]["template"]["metadata"].get("labels") or {}
        if any(have.get(k) != v for k, v in labels.items()):
            return Verdict(False, "Pods created from now on will not carry the label: it is not in the "
                                    "Deployment's pod template.", f"template labels: {have}")
        return Verdict(True, "The pod template carries the label.")

    return predicate


SCALING_1 = Exercise(
    id="scaling-1",
    title="Labels, selectors and scaling",
    instructions="""\
The Deployment `api` runs 2 replicas of `nginx:1.27` (its pods are labelled `app: api`). Your team takes it over:

1. scale it to **4 replicas**;
2. label the Deployment object itself `team=payments`;
3. make every pod of `api` carry the label `release=stable` — for good: pods the Deployment creates
   tomorrow must carry it too.

`%kubectl scale`, `%kubectl label` and `%%apply` all work; check with `%kubectl get deploy,pods --show-labels`.""",
    setup=(_deployment("api", 2, {"app": "api"}),),
    cells=(Cell("answer", "# Your answer: %kubectl commands, or a %%apply cell with the changed Deployment.\n",
                _solution("""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api
    team: payments
spec:
  replicas: 4
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
        release: stable
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80""")),),
    checks=(
        Check("four-ready-replicas", "`api` has 4 ready replicas", 2, c.deployment_ready("api", 4),
              "`%kubectl scale deployment api --replicas=4`, or `spec.replicas: 4`."),
        Check("deployment-labelled", "The Deployment is labelled team=payments", 1,
              c.object_has_labels("deployments", "api", "Deployment", {"team": "payments"}),
              "`%kubectl label deployment api team=payments` labels the Deployment, not its pods."),
        Check("pods-labelled", "Every pod of `api` is labelled release=stable", 2,
              c.pods_carry_labels("deployment", "api", {"release": "stable"}),
              "Put the label in the pod template (`spec.template.metadata.labels`)."),
        Check("labels-in-template", "The label is in the pod template", 1,
              _template_labels("api", {"release": "stable"}),
              "Labelling today's pods by hand does not label the pods of tomorrow.", hidden=True),
    ),
)

PGDATA = "/var/lib/postgresql/data"
_DB_DATA = PersistenceProbe("deployment", "db", PGDATA)

STORAGE_1 = Exercise(
    id="storage-1",
    title="Keep a database's data on a PersistentVolumeClaim",
    instructions=f"""\
Run a PostgreSQL database whose data outlives its pod:

1. a **PersistentVolumeClaim** named `db-data` asking for **1Gi** with access mode **ReadWriteOnce** (the
   cluster's default StorageClass, `standard`, provisions a volume for it);
2. a **Deployment** named `db` running **1 replica** of `postgres:16`, with the claim mounted at `{PGDATA}`
   (where postgres keeps its data). postgres refuses to start without a password: give the container
   `POSTGRES_PASSWORD` from the Secret `db-credentials`, which is already in the cluster.

Whatever is written under `{PGDATA}` must still be there when the pod is deleted and the Deployment replaces
it — and two database servers must never write the same data at the same time, not even during a rollout.""",
    setup=({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db-credentials"}, "type": "Opaque",
            "stringData": {"POSTGRES_PASSWORD": "k8s-st0rage"}},),
    cells=(Cell("answer", "# Your answer: the claim and the Deployment (a %%apply cell, or %kubectl commands).\n",
                _solution(f"""
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: db-data
spec:
  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: 1Gi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: postgres
        image: postgres:16
        ports:
        - containerPort: 5432
        envFrom:
        - secretRef:
            name: db-credentials
        volumeMounts:
        - name: data
          mountPath: {PGDATA}
      volumes:
      - name: data
        persistentVolumeClaim:
          claimName: db-data""")),
           Cell("markdown", f"""\
See for yourself before you check: write a file, delete the pod, and look in the pod that replaces it.

```
%kubectl exec deploy/db -- sh -c 'echo hello > {PGDATA}/hello.txt'
%kubectl delete pod -l app=db
%kubectl exec deploy/db -- cat {PGDATA}/hello.txt
%kubectl logs deploy/db
```

The new pod's log says *Skipping initialization*: postgres found the database the old pod left on the
volume. The check below does the same: it writes a file under `{PGDATA}`, deletes the pod and reads the file
in the pod that replaces it."""),),
    checks=(
        Check("claim-bound", "The claim `db-data` is Bound, 1Gi, ReadWriteOnce", 2,
              c.pvc_bound("db-data", "1Gi", "ReadWriteOnce"),
              "Set `spec.accessModes: [ReadWriteOnce]` and `spec.resources.requests.storage: 1Gi`; "
              "`%kubectl describe pvc db-data` tells why a claim stays Pending."),
        Check("claim-mounted", f"`db` mounts the claim at {PGDATA}", 2,
              c.pvc_bound_and_mounted("db-data", "deployment", "db", PGDATA),
              "In the pod template, a volume with `persistentVolumeClaim: {claimName: db-data}` and a "
              f"`volumeMounts` entry for it with `mountPath: {PGDATA}`."),
        Check("data-survives", "Data written by the pod survives its replacement", 3,
              c.data_survives_pod_replacement(_DB_DATA),
              "Keep the data on the claim: an emptyDir lives and dies with its pod, and a container's own "
              "filesystem with its container.", probe=_DB_DATA),
        Check("one-writer", "Only one postgres writes the data at a time", 1, c.one_writer_at_a_time("deployment", "db"),
              "Run one replica with `strategy: {type: Recreate}`: the default RollingUpdate starts the new pod "
              "while the old one still runs.", hidden=True),
    ),
)

EXERCISES: dict[str, Exercise] = {e.id: e for e in (DEPLOYMENTS_1, SERVICES_1, CONFIG_1, SCALING_1, STORAGE_1)}


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise called `exercise_id` (`deployments-1`, ...)."""
    try:
        return EXERCISES[exercise_id]
    except KeyError:
        raise K8sError(f"There is no exercise {exercise_id!r}; the exercises are: {', '.join(EXERCISES)}.") from None
