"""The MongoDB + Mongo Express app of the notes (000_8e47d26c10247fc4.txt) end to end: mongo-express finds
`mongodb-service` through cluster DNS, connects, and answers on NodePort 30000; with a wrong Service name
it logs what mongo-express-docker's entrypoint (bash /dev/tcp, musl's "Name does not resolve") and the
mongodb driver print."""

from __future__ import annotations

from pathlib import Path

NOTES = Path(__file__).parents[2] / "fixtures" / "notes"

# The notes' mongo-express.yaml with its indentation repaired (`template:` under `spec:`, `env:` aligned with
# `ports:`); otherwise as written, with the LoadBalancer Service on nodePort 30000.
MONGO_EXPRESS = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: mongo-express
  labels: {app: mongo-express}
spec:
  replicas: 1
  selector: {matchLabels: {app: mongo-express}}
  template:
    metadata:
      labels: {app: mongo-express}
    spec:
      containers:
      - name: mongo-express
        image: mongo-express:0.54.0
        ports:
        - containerPort: 8081
        env:
        - name: ME_CONFIG_MONGODB_ADMINUSERNAME
          valueFrom: {secretKeyRef: {name: mongodb-secret, key: mongo-root-username}}
        - name: ME_CONFIG_MONGODB_ADMINPASSWORD
          valueFrom: {secretKeyRef: {name: mongodb-secret, key: mongo-root-password}}
        - name: ME_CONFIG_MONGODB_SERVER
          valueFrom: {configMapKeyRef: {name: mongodb-configmap, key: database_url}}
---
apiVersion: v1
kind: Service
metadata: {name: mongo-express-service}
spec:
  selector: {app: mongo-express}
  type: LoadBalancer
  ports:
  - {protocol: TCP, port: 8081, targetPort: 8081, nodePort: 30000}
"""


def deploy(cluster, database_url: str = "mongodb-service") -> str:
    cluster.apply(NOTES / "mongodb-secret.yaml")
    cluster.apply(NOTES / "mongodb-deployment.yaml")
    configmap = (NOTES / "mongodb-configmap.yaml").read_text().replace("mongodb-service #", f"{database_url} #")
    cluster.apply(configmap)
    cluster.apply(MONGO_EXPRESS)
    cluster.settle()
    (pod,) = cluster.get("pods", label_selector="app=mongo-express")
    return pod["metadata"]["name"]


def test_mongo_express_connects_through_dns_and_answers_on_node_port_30000(cluster):
    pod = deploy(cluster)
    logs = cluster.kubectl(f"logs {pod}").stdout
    assert logs.startswith("Waiting for mongodb-service:27017...\n")
    assert "Mongo Express server listening at http://0.0.0.0:8081\n" in logs
    assert "Could not connect" not in logs
    response = cluster.request("http://192.168.49.2:30000/")
    assert response.status == 200 and "<title>Home - Mongo Express</title>" in response.body
    assert response.served_by == f"default/{pod}"
    assert [h.kind for h in response.hops] == ["NodePort", "Service", "Pod"]
    # minikube leaves a LoadBalancer's EXTERNAL-IP pending without `minikube tunnel`; the NodePort works
    row = cluster.kubectl("get service mongo-express-service").stdout.splitlines()[1].split()
    assert row[3] == "<pending>" and row[4] == "8081:30000/TCP"


def test_a_wrong_service_name_fails_visibly(cluster):
    pod = deploy(cluster, database_url="mongo-service")
    previous = cluster.kubectl(f"logs {pod} --previous")
    logs = previous.stdout if previous.returncode == 0 else cluster.kubectl(f"logs {pod}").stdout
    # mongo-express-docker docker-entrypoint.sh: bash's /dev/tcp with musl's getaddrinfo message
    assert "/docker-entrypoint.sh: line 15: mongo-service: Name does not resolve\n" in logs
    assert "retrying to connect to mongo-service:27017 (5/5)\n" in logs
    assert ("Could not connect to database using connectionString: "
            'mongodb://username:password@mongo-service:27017/"\n') in logs
    assert ("(node:7) UnhandledPromiseRejectionWarning: MongoNetworkError: failed to connect to server "
            "[mongo-service:27017] on first connect [Error: getaddrinfo ENOTFOUND mongo-service\n") in logs
    status = cluster.kubectl(f"get pod {pod}").stdout.splitlines()[1].split()
    assert status[1] == "0/1" and status[2] in ("CrashLoopBackOff", "Error")
    assert cluster.request("http://192.168.49.2:30000/").error == "Connection refused"


def test_a_service_without_endpoints_refuses_the_connection(cluster):
    pod = deploy(cluster)
    cluster.kubectl("scale deployment mongodb-depl --replicas=0")
    cluster.settle()
    # the database Service still resolves, but kube-proxy REJECTs: ECONNREFUSED
    result = cluster.backend.network.for_pod(cluster.get("pod", pod)).connect("mongodb-service", 27017)
    assert (result.ok, result.error) == (False, "ECONNREFUSED")
    cluster.kubectl(f"delete pod {pod}")
    cluster.settle()
    (new,) = cluster.get("pods", label_selector="app=mongo-express")
    logs = cluster.kubectl(f"logs {new['metadata']['name']}").stdout
    assert "/docker-entrypoint.sh: line 15: /dev/tcp/mongodb-service/27017: Connection refused" in logs \
        or "connect ECONNREFUSED" in logs
