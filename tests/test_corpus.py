"""Robustness over the Kubernetes documentation's example manifests, and a small mutation fuzzer on top.

Every file of ../shared/corpus/k8s-website-examples (see its README) is applied document by document to a
fresh simulated cluster, after creating the namespaces it names, as a learner would. Each document must be
accepted or refused with a `K8sError` worded as kube-apiserver or kubectl word it — never another Python
exception — and a refusal must leave the store's revision where it was. Refusals a real v1.33 cluster would
not give are listed below and marked xfail.
"""

from __future__ import annotations

import copy
import functools
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import k8scourse
from k8scourse import K8sError
from k8scourse.api.manifests import load_manifests

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "k8s-website-examples"
FILES = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.yaml")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(
    not FILES, reason=f"the manifest corpus is not here ({CORPUS}); it ships beside the repository, not in it"
)

# How kube-apiserver and kubectl word a refusal (a match on the start of `str(error)`):
WORDINGS = {
    "unknown kind": r'no matches for kind ".*" in version ".*"',  # apimachinery/pkg/api/meta/errors.go
    "YAML syntax": r"error parsing .*: error converting YAML to JSON: yaml: ",  # cli-runtime visitor.go
    "no apiVersion/kind": r'error validating ".*": error validating data: ',  # kubectl/pkg/validation/schema.go
    "invalid": r'The \S+ ".*" is invalid',  # kubectl/pkg/cmd/util/helpers.go (StatusError, reason Invalid)
    "undecodable": r'Error from server \(BadRequest\): \S+ in version ".*" cannot be handled as a \S+: ',
    "forbidden": r'Error from server \(Forbidden\): \S+ ".*" is forbidden: ',  # admission plugins
    "not found": r'Error from server \(NotFound\): \S+ ".*" not found',  # apimachinery api/errors.go
    "no name": r"(error: )?resource name may not be empty",  # client-go rest/request.go
    "generateName": r"(error: )?cannot use generate name with apply",  # kubectl apply.go
    "unmarshal": r"json: cannot unmarshal ",  # encoding/json, for list items kubectl cannot type
    "not simulated": r"the simulated cluster does not model \S+ \(\S+\); a real Kubernetes cluster serves it",
}

# Refusals a real v1.33 cluster would not give (none known).
WRONGLY_REFUSED: dict[str, str] = {}
# Kinds v1.33 serves that the simulator does not model (admissionregistration.k8s.io/v1 policies and
# webhooks, apiextensions.k8s.io/v1 CRDs, flowcontrol.apiserver.k8s.io/v1): refused with a clear message.
# Files that end in a Python exception instead of a Kubernetes-worded refusal.
CRASHES: dict[str, str] = {}

Obj = dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What happened to one document: accepted, or refused with a message (and whether the store moved)."""

    index: int
    accepted: bool
    message: str = ""
    store_moved: bool = False

    def reason(self) -> str:
        for reason, pattern in WORDINGS.items():
            if re.match(pattern, self.message):
                return reason
        return ""


def namespaces_named(docs: list[Obj]) -> list[str]:
    """Namespaces the documents live in that they do not create themselves."""
    created = {d["metadata"].get("name") for d in docs
               if d.get("kind") == "Namespace" and isinstance(d.get("metadata"), dict)}
    named = []
    for doc in docs:
        meta = doc.get("metadata")
        ns = meta.get("namespace") if isinstance(meta, dict) else None
        if isinstance(ns, str) and ns and ns not in created and ns not in named:
            named.append(ns)
    return named


def prepared_cluster(docs: list[Obj]) -> k8scourse.Cluster:
    cluster = k8scourse.connect()
    for ns in namespaces_named(docs):
        if not cluster.exists("ns", ns):
            cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    return cluster


def apply_each(cluster: k8scourse.Cluster, docs: list[Obj]) -> list[Outcome]:
    """Apply the documents one at a time; a refusal records its message and whether the store moved."""
    outcomes = []
    for index, doc in enumerate(docs):
        before = cluster.backend.api.store.revision
        try:
            cluster.apply(doc)
        except K8sError as err:
            moved = cluster.backend.api.store.revision != before
            outcomes.append(Outcome(index, False, str(err), moved))
        else:
            outcomes.append(Outcome(index, True))
    return outcomes


@functools.cache
def run_file(name: str) -> tuple[Outcome, ...]:
    """Outcomes of one corpus file (computed once per run); a file kubectl cannot read is one refused outcome."""
    try:
        docs = [d.object for d in load_manifests(CORPUS / name)]
    except K8sError as err:
        return (Outcome(0, False, str(err)),)
    return tuple(apply_each(prepared_cluster(docs), docs))


def check_guarantees(outcomes: tuple[Outcome, ...] | list[Outcome]) -> None:
    for outcome in outcomes:
        if outcome.accepted:
            continue
        assert outcome.reason(), f"not worded as Kubernetes words it: {outcome.message!r}"
        assert not outcome.store_moved, f"a refused request changed the store: {outcome.message!r}"


def _params(names: list[str]) -> list[Any]:
    marks = []
    for name in names:
        reason = WRONGLY_REFUSED.get(name) or CRASHES.get(name)
        marks.append(pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason)) if reason else name)
    return marks


# --- every file ------------------------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("name", _params(FILES))
def test_corpus_file_is_accepted_or_refused_in_kubernetes_words(name):
    outcomes = run_file(name)
    check_guarantees(outcomes)
    if name in WRONGLY_REFUSED:
        assert all(o.accepted for o in outcomes), [o.message for o in outcomes if not o.accepted]


@needs_corpus
def test_corpus_tally():
    """Most documents are accepted; every refusal falls under a known wording. Print with `-s` for the numbers."""
    tally: Counter[str] = Counter()
    for name in FILES:
        if name in CRASHES:
            continue
        for outcome in run_file(name):
            tally["accepted" if outcome.accepted else outcome.reason() or "unworded"] += 1
    print("\ncorpus:", dict(tally.most_common()))
    assert "unworded" not in tally
    assert tally["accepted"] > 0.75 * sum(tally.values())


# --- mutation fuzzer -------------------------------------------------------------------------------

SAMPLE = 60  # accepted documents mutated, three ways each


def leaf_paths(value: Any, path: tuple = ()) -> list[tuple]:
    """Paths to every value below the top level except apiVersion and kind (so the mutant stays routable)."""
    out: list[tuple] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        if not path and key in ("apiVersion", "kind"):
            continue
        out.append((*path, key))
        out += leaf_paths(child, (*path, key))
    return out


def _parent(doc: Obj, path: tuple) -> Any:
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    return node


def drop_field(doc: Obj, rng: random.Random) -> Obj:
    path = rng.choice(leaf_paths(doc))
    parent = _parent(doc, path)
    del parent[path[-1]]
    return doc


def change_type(doc: Obj, rng: random.Random) -> Obj:
    path = rng.choice(leaf_paths(doc))
    parent = _parent(doc, path)
    value = parent[path[-1]]
    if isinstance(value, (bool, str)):
        parent[path[-1]] = 7
    elif isinstance(value, (int, float)):
        parent[path[-1]] = "seven"
    elif isinstance(value, dict):
        parent[path[-1]] = ["seven"]
    else:
        parent[path[-1]] = {"seven": 7}
    return doc


BAD_NAMES = ("Bad_Name", "-leading-dash", "x" * 254, "dots..twice", "UPPER")


def break_name(doc: Obj, rng: random.Random) -> Obj:
    doc.setdefault("metadata", {})["name"] = rng.choice(BAD_NAMES)
    return doc


MUTATIONS = (drop_field, change_type, break_name)


def accepted_documents() -> list[Obj]:
    """Single documents of the corpus that a fresh cluster accepts (in file order)."""
    out = []
    for name in FILES:
        if name in WRONGLY_REFUSED or name in CRASHES:
            continue
        try:
            docs = [d.object for d in load_manifests(CORPUS / name)]
        except K8sError:
            continue
        if len(docs) == 1 and run_file(name)[0].accepted:
            out.append(docs[0])
    return out


RBAC_KINDS = ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")  # any path segment is a valid name


def mutate_and_apply(doc: Obj, mutate: Any, rng: random.Random) -> tuple[str, str]:
    """(tally key, problem or ""): the mutant's fate, and what broke the guarantees if anything did."""
    mutant = mutate(copy.deepcopy(doc), rng)
    try:
        outcomes = apply_each(prepared_cluster([mutant]), [mutant])
        check_guarantees(outcomes)
    except AssertionError as err:
        return "violation", f"{mutate.__name__} on {doc['kind']}: {err}"
    except Exception as err:  # noqa: BLE001 - any other exception is what the fuzzer looks for
        return "crash", f"{mutate.__name__} on {doc['kind']}: {type(err).__name__}: {err}"
    outcome = outcomes[0]
    if mutate is break_name and (outcome.accepted != (doc["kind"] in RBAC_KINDS)):
        return "violation", f"bad name {mutant['metadata']['name']!r} on {doc['kind']}: accepted={outcome.accepted}"
    return f"{mutate.__name__}: {'accepted' if outcome.accepted else outcome.reason()}", ""


@needs_corpus
def test_mutated_documents_are_refused_in_kubernetes_words_and_change_nothing():
    rng = random.Random(0)
    documents = accepted_documents()
    sample = rng.sample(documents, min(SAMPLE, len(documents)))
    tally: Counter[str] = Counter()
    problems = []
    for doc in sample:
        for mutate in MUTATIONS:
            key, problem = mutate_and_apply(doc, mutate, rng)
            tally[key] += 1
            if problem:
                problems.append(problem)
    print("\nmutants:", dict(sorted(tally.items())))
    assert problems == []
    assert tally["break_name: invalid"] >= len(sample) - 2


def test_metadata_that_is_not_a_mapping_is_refused_in_kubernetes_words():
    # The fuzzer's first find: unstructured accessors read such metadata as having no name, and kubectl's
    # Get then fails with client-go's `resource name may not be empty` (rest/request.go).
    cluster = k8scourse.connect()
    doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": ["seven"], "data": {"a": "b"}}
    (outcome,) = apply_each(cluster, [doc])
    assert outcome.reason() == "no name" and not outcome.store_moved
