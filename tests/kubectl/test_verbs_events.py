"""kubectl events: oldest first, `Kind/name` objects, repeat counts, --for, --types, -A, empty results
(staging/src/k8s.io/kubectl/pkg/cmd/events/events.go and event_printer.go)."""

from __future__ import annotations


def test_events_are_listed_oldest_first_with_kind_and_name(cluster):
    cluster.kubectl("create deployment web --image=nginx:1.27")
    cluster.settle()
    lines = cluster.kubectl("events").stdout.splitlines()
    assert lines[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    reasons = [line.split()[2] for line in lines[1:]]
    assert reasons[-3:] == ["Pulled", "Created", "Started"]
    assert "Deployment/web" in cluster.kubectl("events").stdout
    only = cluster.kubectl("events --for deploy/web").stdout.splitlines()
    assert len(only) == 2 and only[1].split()[2:4] == ["ScalingReplicaSet", "Deployment/web"]


def test_repeated_events_show_their_count_and_span(cluster):
    cluster.kubectl("run typo --image=ngnix")
    cluster.advance(120)
    warnings = cluster.kubectl("events --types=Warning").stdout
    assert "(x" in warnings and " over " in warnings
    assert all(line.split()[1] == "Warning" or "(x" in line for line in warnings.splitlines()[1:])


def test_no_events_wording(cluster):
    result = cluster.kubectl("events -n kube-public")
    assert (result.stdout, result.stderr) == ("", "No events found in kube-public namespace.\n")
    assert cluster.kubectl("events --types=Fatal").stderr == "error: valid --types are Normal, Warning\n"
    assert cluster.kubectl("events -A").stdout.splitlines()[0].split()[0] == "NAMESPACE"
