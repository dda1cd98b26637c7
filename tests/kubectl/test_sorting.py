"""--sort-by's comparisons, from staging/src/k8s.io/kubectl/pkg/cmd/get/sorter.go (isLess, SortObjects)."""

from __future__ import annotations

import pytest

from k8scourse.kubectl.render import PrintError
from k8scourse.kubectl.sorting import is_less, sort_objects


def test_quantities_compare_as_quantities_and_other_strings_bytewise():
    assert is_less("100m", "1")
    assert is_less("128Mi", "1Gi")
    assert not is_less("2", "10m")
    assert is_less("B", "a")  # not quantities: byte order
    assert is_less(2, 10)


def test_objects_without_the_field_come_first_and_a_field_found_nowhere_is_an_error():
    objs = [{"m": {"n": "b", "v": 3}}, {"m": {"n": "a"}}, {"m": {"n": "c", "v": 1}}]
    assert [o["m"]["n"] for o in sort_objects(objs, ".m.v")] == ["a", "c", "b"]
    assert [o["m"]["n"] for o in sort_objects(objs, "{.m.n}")] == ["a", "b", "c"]
    with pytest.raises(PrintError, match=r'couldn\'t find any field with path "\{\.m\.x\}" in the list of objects'):
        sort_objects(objs, "m.x")
