"""Benchmark: how many objects per second the simulated apiserver decodes, defaults, validates and stores.

Run with `make bench` (or `python benchmarks/bench_apiserver.py [--sizes 100,1000,5000]`). Prints a table;
nothing here is a test, and no number is asserted: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import k8scourse

KINDS = {
    "ConfigMap": lambda i: {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"cm-{i}", "labels": {"app": f"a{i % 10}"}},
                            "data": {"key": f"value-{i}"}},
    "Service": lambda i: {"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"svc-{i}"},
                          "spec": {"selector": {"app": f"a{i}"}, "ports": [{"port": 80, "targetPort": 8080}]}},
    "Deployment": lambda i: {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": f"web-{i}"},
        "spec": {"replicas": 0, "selector": {"matchLabels": {"app": f"web-{i}"}},
                 "template": {"metadata": {"labels": {"app": f"web-{i}"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                                                       "ports": [{"containerPort": 80}],
                                                       "resources": {"requests": {"cpu": "100m"}}}]}}},
    },
}


def measure(kind: str, count: int) -> tuple[float, float, float]:
    cluster = k8scourse.connect()
    make = KINDS[kind]
    objects = [make(i) for i in range(count)]
    rt = cluster.backend.registry.for_kind(objects[0]["apiVersion"], kind)
    tracemalloc.start()
    start = time.perf_counter()
    for obj in objects:
        cluster.backend.create(rt, obj, "default")
    created = time.perf_counter() - start
    start = time.perf_counter()
    listed = cluster.backend.list(rt, "default", label_selector="app=a1" if kind == "ConfigMap" else "")
    list_time = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert listed["items"] is not None
    return count / created, list_time * 1000, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,5000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'kind':<12}{'objects':>9}{'created/s':>12}{'list ms':>10}{'peak MiB':>10}")
    for kind in KINDS:
        for n in sizes:
            rate, list_ms, peak = measure(kind, n)
            print(f"{kind:<12}{n:>9}{rate:>12.0f}{list_ms:>10.1f}{peak:>10.1f}")


if __name__ == "__main__":
    main()
