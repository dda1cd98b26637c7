"""`k8scourse grade`: grade a class's submitted exercise notebooks, with grades as CSV and JSON and feedback files.

Registered by `k8scourse.cli`. Each notebook runs from the top in its own fresh kernel on a fresh simulated
cluster, within a time limit; the exercise's checks (hidden ones included) then judge the cluster it left,
from the grader's own process (see `k8scourse.grading.classroom`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..grading.classroom import GradedNotebook, grade_all, write_csv, write_feedback, write_json
from ..grading.exercises import EXERCISES


def _notebooks(arguments: list[str]) -> list[Path]:
    """The notebooks named, and those inside the folders named (recursively, checkpoints skipped)."""
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        else:
            found.append(path)
    return found


def _progress(done: int, total: int, graded: GradedNotebook) -> None:
    result = graded.result
    status = "" if result.status == "ok" else f" [{result.status}]"
    print(f"[{done}/{total}] {graded.notebook}: {result.score:g}/{result.max_points:g}{status} "
          f"({graded.seconds:.1f} s)", file=sys.stderr, flush=True)


def cmd_grade(args: argparse.Namespace) -> int:
    notebooks = _notebooks(args.submissions)
    missing = [str(p) for p in notebooks if not p.is_file()]
    if missing or not notebooks:
        print(f"error: no such notebook: {', '.join(missing) or ' '.join(args.submissions)}", file=sys.stderr)
        return 2
    print(f"Grading {len(notebooks)} notebook(s), {args.jobs} at a time, at most {args.timeout:g} s each.",
          file=sys.stderr, flush=True)
    graded = grade_all(notebooks, timeout=args.timeout, jobs=args.jobs, exercise=args.exercise, progress=_progress)
    out = Path(args.out)
    write_csv(graded, out)
    write_json(graded, out.with_suffix(".json"))
    written = [str(out), str(out.with_suffix(".json"))]
    if args.feedback:
        write_feedback(graded, args.feedback)
        written.append(f"{args.feedback}/")
    print(f"Wrote {', '.join(written)}.", file=sys.stderr)
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    grade = sub.add_parser("grade", help="grade submitted exercise notebooks (each in a fresh kernel and cluster)")
    grade.add_argument("submissions", nargs="+", metavar="SUBMISSIONS",
                       help="notebooks, or folders searched for notebooks")
    grade.add_argument("--out", default="grades.csv",
                       help="the CSV of grades (default grades.csv); the JSON goes next to it (grades.json)")
    grade.add_argument("--feedback", metavar="DIR", help="write one Markdown feedback file per notebook into DIR")
    grade.add_argument("--timeout", type=float, default=300, metavar="S",
                       help="seconds one notebook may run in all (default 300)")
    grade.add_argument("--jobs", type=int, default=1, metavar="N", help="notebooks graded in parallel (default 1)")
    grade.add_argument("--exercise", choices=sorted(EXERCISES),
                       help="the exercise the notebooks answer (default: read from each notebook)")
    grade.set_defaults(func=cmd_grade)
