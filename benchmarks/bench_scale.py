"""Benchmark: how the simulated cluster scales with nodes and pods (a measurement, not a test).

Builds clusters of growing size, creates Deployments until the requested number of pods exists, settles
until every pod is Running, and reports wall time, pods per wall second and peak memory as a table and
as an SVG plot (`benchmarks/results/scale.svg`). Memory is the process's peak resident size so far, so
list sizes in increasing order. CPU seconds are reported next to wall seconds: on a shared machine they
are the steadier number. Also times the learner-sized cell: a Deployment of 3 and a Service, settled.

    python benchmarks/bench_scale.py                      # the default ladder
    python benchmarks/bench_scale.py --sizes 10:100,100:1000,1000:100000
    python benchmarks/bench_scale.py --sizes 10:1000 --profile   # cProfile, top functions by own time
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import k8scourse

RESULTS = Path(__file__).parent / "results"
PODS_PER_DEPLOYMENT = 100


def deployment(name: str, replicas: int) -> dict:
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": "web", "image": "nginx:1.27",
                                                       "resources": {"requests": {"cpu": "1m", "memory": "1Mi"}}}]}}},
    }


def learner_cell() -> float:
    """Wall seconds for `apply` of a Deployment of 3 and a Service, then `settle()`, on a fresh cluster."""
    cluster = k8scourse.connect()
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
               "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}
    start = time.perf_counter()
    cluster.apply([deployment("web", 3), service])
    cluster.settle()
    return time.perf_counter() - start


def run(nodes: int, pods: int) -> dict:
    start, cpu_start = time.perf_counter(), time.process_time()
    cluster = k8scourse.connect(nodes=nodes)
    built = time.perf_counter()
    remaining, index = pods, 0
    while remaining > 0:
        replicas = min(PODS_PER_DEPLOYMENT, remaining)
        cluster.apply(deployment(f"app-{index}", replicas))
        remaining -= replicas
        index += 1
    report = cluster.settle(timeout=3600)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # the process's peak RSS so far (Linux: KiB)
    running = len(cluster.get("pods", field_selector="status.phase=Running"))
    return {"nodes": nodes, "pods": pods, "running": running, "build_s": built - start, "total_s": elapsed, "cpu_s": cpu,
            "pods_per_s": pods / max(elapsed - (built - start), 1e-9), "peak_mib": peak / 2**20,
            "simulated_s": report.seconds}


def svg_plot(rows: list[dict], path: Path) -> None:
    """A small log-log line chart of wall seconds against pods."""
    import math

    width, height, pad = 480, 300, 50
    xs = [math.log10(max(r["pods"], 1)) for r in rows]
    ys = [math.log10(max(r["total_s"], 1e-3)) for r in rows]
    x0, x1 = min(xs), max(xs) or 1
    y0, y1 = min(ys), max(ys) or 1

    def px(x: float, y: float) -> tuple[float, float]:
        fx = (x - x0) / ((x1 - x0) or 1)
        fy = (y - y0) / ((y1 - y0) or 1)
        return pad + fx * (width - 2 * pad), height - pad - fy * (height - 2 * pad)

    points = " ".join(f"{a:.1f},{b:.1f}" for a, b in (px(x, y) for x, y in zip(xs, ys, strict=True)))
    labels = "".join(
        f'<text x="{px(x, y)[0]:.1f}" y="{px(x, y)[1] - 6:.1f}" font-size="10">{r["pods"]} pods: {r["total_s"]:.1f}s</text>'
        for x, y, r in zip(xs, ys, rows, strict=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
        f'<rect width="100%" height="100%" fill="white"/>'
        f'<text x="{pad}" y="20" font-size="12">wall seconds vs pods (log-log)</text>'
        f'<polyline fill="none" stroke="steelblue" stroke-width="2" points="{points}"/>{labels}</svg>\n')


def profile(sizes: str, top: int = 40) -> None:
    """Run each NODES:PODS size under cProfile and print the top functions by own time, then by cumulative."""
    import cProfile
    import pstats

    for pair in sizes.split(","):
        nodes, pods = (int(v) for v in pair.split(":"))
        profiler = cProfile.Profile()
        profiler.runcall(run, nodes, pods)
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1:10,3:100,10:300,30:1000",
                        help="comma-separated NODES:PODS pairs")
    parser.add_argument("--profile", action="store_true",
                        help="run the sizes under cProfile and print the functions with the most own time")
    args = parser.parse_args()
    if args.profile:
        profile(args.sizes)
        return
    cell = min(learner_cell() for _ in range(5))
    print(f"learner cell (Deployment of 3 + Service, settled; best of 5): {cell * 1000:.1f} ms wall")
    print(f"{'nodes':>6}{'pods':>8}{'running':>9}{'total s':>9}{'cpu s':>8}{'pods/s':>9}{'peak MiB':>10}{'sim s':>8}")
    rows = []
    for pair in args.sizes.split(","):
        nodes, pods = (int(v) for v in pair.split(":"))
        row = run(nodes, pods)
        rows.append(row)
        print(f"{row['nodes']:>6}{row['pods']:>8}{row['running']:>9}{row['total_s']:>9.2f}{row['cpu_s']:>8.2f}{row['pods_per_s']:>9.0f}"
              f"{row['peak_mib']:>10.1f}{row['simulated_s']:>8.0f}")
    svg_plot(rows, RESULTS / "scale.svg")
    print(f"plot: {RESULTS / 'scale.svg'}")


if __name__ == "__main__":
    main()
