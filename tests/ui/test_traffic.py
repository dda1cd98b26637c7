"""The traffic view: requests through a NodePort Service, counted per pod that answered."""

from __future__ import annotations

from k8scourse.ui.traffic_view import Tally, TrafficView, answered_by, traffic, traffic_svg


def web_with_nodeport(cluster, replicas=3):
    cluster.kubectl(f"create deployment web --image=nginx:1.27 --replicas={replicas}")
    cluster.kubectl("expose deployment web --port=80 --type=NodePort")
    cluster.settle()
    return f"http://192.168.49.2:{cluster.get('svc', 'web')['spec']['ports'][0]['nodePort']}/"


def test_every_ready_pod_answers_and_the_counts_add_up(cluster):
    view = traffic(web_with_nodeport(cluster), 30, cluster)
    pods = {f"default/{p['metadata']['name']}" for p in cluster.get("pods")}
    assert set(view.tally.counts) == pods
    assert view.tally.total == 30
    assert view.tally.last.path.startswith("client → NodePort default/web 192.168.49.2:")
    for pod in pods:
        assert f">{pod}<" in view.picture.value


def test_the_send_button_sends_again(cluster):
    view = TrafficView(web_with_nodeport(cluster, replicas=1), 5, cluster)
    view.count.value = 7
    view.button.click()
    assert view.tally.total == 7 and len(view.tally.counts) == 1


def test_failures_get_a_red_bar_of_their_own(cluster):
    view = traffic("http://192.168.49.2:31999/", 3, cluster)
    ((label, count),) = view.tally.counts.items()
    assert label.startswith("failed: ") and count == 3
    assert 'fill="#ffcdd2"' in view.picture.value


class Answer:
    def __init__(self, status, served_by="", error=""):
        self.status, self.served_by, self.error = status, served_by, error


def test_what_a_response_counts_as():
    assert answered_by(Answer(200, "default/a")) == "default/a"
    assert answered_by(Answer(404, "default/a")) == "default/a"  # the pod answered, even if not found
    assert answered_by(Answer(503)) == "HTTP 503"
    assert answered_by(Answer(0, error="Connection refused")) == "failed: Connection refused"


def test_bars_are_longest_first_and_the_drawing_is_stable():
    tally = Tally("http://x/", counts={"default/b": 3, "default/a": 7})
    svg = traffic_svg(tally)
    assert svg.index(">default/a<") < svg.index(">default/b<")
    assert "7 (70%)" in svg and svg == traffic_svg(tally)
