"""Requests through kube-proxy (pkg/proxy/iptables/proxier.go): ClusterIPs and NodePorts reach ready
endpoints only, a port no container listens on is refused, ClientIP affinity sticks, and curl says so in
its own words (lib/connect.c, src/tool_operate.c)."""

from __future__ import annotations

from .conftest import box

READY_ON_FILE = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: echo
        image: ealen/echo-server
        ports: [{containerPort: 80}]
        readinessProbe: {exec: {command: [cat, /tmp/ready]}, periodSeconds: 2}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 8080, targetPort: 80, nodePort: 30080}]
"""


def pod_names(cluster, selector: str) -> list[str]:
    return sorted(p["metadata"]["name"] for p in cluster.get("pods", label_selector=selector))


def served(cluster, url: str, times: int = 30, source=None) -> set[str]:
    return {cluster.request(url, source=source).served_by for _ in range(times)}


def test_only_ready_pods_get_requests(cluster, sh):
    cluster.apply(READY_ON_FILE)
    cluster.settle()
    names = pod_names(cluster, "app=web")
    # no pod is ready: kube-proxy REJECTs, the client sees its connection refused
    response = cluster.request("http://192.168.49.2:30080/")
    assert (response.status, response.error) == (0, "Connection refused")
    for name in names[:2]:
        sh(name, "touch /tmp/ready")
    cluster.advance(10)
    assert served(cluster, "http://192.168.49.2:30080/") == {f"default/{n}" for n in names[:2]}
    # readiness failing again takes the pod out of the rotation
    sh(names[0], "rm /tmp/ready")
    cluster.advance(10)
    assert served(cluster, "http://192.168.49.2:30080/") == {f"default/{names[1]}"}


def test_the_answer_shows_its_path_and_the_serving_pod(cluster):
    cluster.apply(READY_ON_FILE)
    cluster.settle()
    (name, *_) = pod_names(cluster, "app=web")
    for pod in pod_names(cluster, "app=web"):
        cluster.kubectl(["exec", pod, "--", "touch", "/tmp/ready"])
    cluster.advance(10)
    svc = cluster.get("service", "web")
    response = cluster.request("http://192.168.49.2:30080/hello")
    assert response.status == 200
    assert [h.kind for h in response.hops] == ["NodePort", "Service", "Pod"]
    assert response.hops[1].address == f"{svc['spec']['clusterIP']}:8080"
    assert response.hops[2].detail == "" and response.hops[1].detail.endswith("of 3")
    body = __import__("json").loads(response.body)
    assert body["environment"]["HOSTNAME"] == response.served_by.split("/")[1]
    assert body["http"]["originalUrl"] == "/hello"
    assert response.path.startswith("client → NodePort default/web 192.168.49.2:30080 → Service default/web")
    assert "served by default/" in repr(response) and "<ol" in response._repr_html_()


def test_target_port_nobody_listens_on_is_refused(cluster, sh):
    # the notes' nginx-service.yaml sends to targetPort 8080 while nginx listens on 80
    cluster.apply("tests/fixtures/notes/nginx-deployment.yaml")
    cluster.apply("tests/fixtures/notes/nginx-service.yaml")
    cluster.settle()
    box(cluster)
    describe = cluster.kubectl("describe service nginx-service").stdout
    assert ":8080" in describe  # the pod is an endpoint...
    code, out, err = sh("box", "curl -s -S nginx-service")  # ...but nothing answers on its port 8080
    assert (code, out) == (7, "")
    assert err == "curl: (7) Failed to connect to nginx-service port 80 after 0 ms: Couldn't connect to server\n"
    assert sh("box", "wget -qO- nginx-service")[2] == (
        f"wget: can't connect to remote host ({cluster.get('service', 'nginx-service')['spec']['clusterIP']}): "
        "Connection refused\n")


def test_cluster_ips_are_not_reachable_from_outside_and_names_do_not_resolve(cluster):
    cluster.kubectl("create deployment web --image=nginx")
    cluster.kubectl("expose deployment web --port=80")
    cluster.settle()
    ip = cluster.get("service", "web")["spec"]["clusterIP"]
    assert cluster.request(f"http://{ip}/").error == "Connection timed out"
    assert cluster.request("http://web/").error == "Could not resolve host: web"
    assert cluster.request("http://192.168.49.2:31999/").error == "Connection refused"


def test_curl_output_options(cluster, sh):
    cluster.kubectl("create deployment web --image=nginx:1.27")
    cluster.kubectl("expose deployment web --port=80")
    cluster.settle()
    box(cluster)
    assert sh("box", "curl -s -o /dev/null -w '%{http_code}' web/missing") == (0, "404", "")
    code, out, _ = sh("box", "curl -sI web")
    assert out.startswith("HTTP/1.1 200 OK\r\nServer: nginx/1.27.5\r\n") and "Content-Length: 615\r\n" in out
    assert sh("box", "curl -s web/nope")[1].startswith("<html>\n<head><title>404 Not Found</title></head>")
    assert sh("box", "curl -sf web/nope")[0] == 22
    assert sh("box", "curl nothing-here") == (6, "", "curl: (6) Could not resolve host: nothing-here\n")
    assert sh("box", "curl -s web:81")[0] == 28  # no kube-proxy rule for that port: the SYN goes nowhere
    assert sh("box", "nc -z web 80")[0] == 0


def test_session_affinity_keeps_a_client_on_one_pod(cluster):
    cluster.kubectl("create deployment web --image=nginx --replicas=3")
    cluster.apply({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                   "spec": {"type": "NodePort", "selector": {"app": "web"}, "sessionAffinity": "ClientIP",
                            "ports": [{"port": 80, "nodePort": 30111}]}})
    cluster.settle()
    assert len(served(cluster, "http://192.168.49.2:30111/")) == 1
    cluster.kubectl("patch service web -p '{\"spec\":{\"sessionAffinity\":\"None\"}}'")
    assert len(served(cluster, "http://192.168.49.2:30111/")) == 3


def test_pod_to_pod_and_http_echo(cluster, sh):
    cluster.kubectl(["run", "echo", "--image=hashicorp/http-echo", "--", "-text=hello from echo"])
    box(cluster)
    ip = cluster.get("pod", "echo")["status"]["podIP"]
    assert sh("box", f"wget -qO- http://{ip}:5678/") == (0, "hello from echo\n", "")
    response = cluster.request(f"http://{ip}:5678/", source="box")
    assert (response.body, response.served_by) == ("hello from echo\n", "default/echo")
    assert sh("box", f"wget -qO- http://{ip}:80/")[2] == f"wget: can't connect to remote host ({ip}): " \
                                                          "Connection refused\n"


def test_host_ports_and_load_balancer_ips(cluster):
    cluster.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "edge", "labels": {"app": "edge"}},
                   "spec": {"containers": [{"name": "nginx", "image": "nginx",
                                            "ports": [{"containerPort": 80, "hostPort": 8088}]}]}})
    cluster.kubectl("expose pod edge --port=80 --type=LoadBalancer")
    cluster.settle()
    response = cluster.request("http://192.168.49.2:8088/")
    assert response.served_by == "default/edge" and [h.kind for h in response.hops] == ["HostPort", "Pod"]
    # an external IP once one is assigned (minikube tunnel writes it): reachable on the Service port
    svc = cluster.get("service", "edge")
    svc["status"] = {"loadBalancer": {"ingress": [{"ip": svc["spec"]["clusterIP"], "ipMode": "VIP"}]}}
    cluster.backend.update(cluster.resource("services"), svc, "default", subresource="status")
    response = cluster.request(f"http://{svc['spec']['clusterIP']}/")
    assert response.served_by == "default/edge" and response.hops[0].kind == "LoadBalancer"
