"""The volume data model: in-memory filesystems, symbolic links, and a container's view with its mounts."""

from __future__ import annotations

import pytest

from k8scourse.sim.storage import ContainerFS, FileSystem, FSError, Mount
from k8scourse.sim.storage.volumes import VolumeStore


def test_files_directories_and_errno_texts():
    fs = FileSystem()
    fs.mkdir("a/b", parents=True)
    fs.write("a/b/f", "1\n")
    fs.write("a/b/f", "2\n", append=True)
    assert fs.read("a/b/f") == "1\n2\n" and fs.listdir("a") == ["b"]
    with pytest.raises(FSError) as missing:
        fs.write("x/y", "")
    assert missing.value.reason == "No such file or directory"
    with pytest.raises(FSError) as exists:
        fs.mkdir("a")
    assert exists.value.reason == "File exists"
    with pytest.raises(FSError) as is_dir:
        fs.read("a")
    assert is_dir.value.reason == "Is a directory"


def test_symlinks_are_followed_relative_to_their_directory():
    fs = FileSystem()
    fs.mkdir("..2025_01_01")
    fs.write("..2025_01_01/key", "v")
    fs.symlink("..2025_01_01", "..data")
    fs.symlink("..data/key", "key")
    assert fs.read("key") == "v"
    assert fs.lookup("key", follow=False).link == "..data/key"


def test_mounts_read_only_and_the_writable_layer():
    data, config = FileSystem(), FileSystem()
    view = ContainerFS(FileSystem(), [Mount("/data", data), Mount("/etc/config", config, read_only=True)])
    view["/data/x"] = "kept"
    view["/tmp/y"] = "layer"
    assert data.read("x") == "kept" and "y" not in data.listdir("")
    assert view.listdir("/") == ["data", "etc", "tmp"]
    with pytest.raises(FSError) as ro:
        view.write("/etc/config/z", "")
    assert ro.value.reason == "Read-only file system"
    with pytest.raises(FSError) as busy:
        view.remove("/data", recursive=True)
    assert busy.value.reason == "Resource busy" and data.listdir("") == []


def test_a_mount_root_is_a_directory_inside_the_volume():
    node = FileSystem()
    node.mkdir("mnt/data", parents=True)
    view = ContainerFS(FileSystem(), [Mount("/usr/share/nginx/html", node, "mnt/data")])
    view["/usr/share/nginx/html/index.html"] = "hello"
    assert node.read("mnt/data/index.html") == "hello"


def test_emptydirs_are_released_with_their_pod_but_node_directories_stay():
    store = VolumeStore()
    store.empty_dir("uid-1", "cache").write("f", "x")
    store.node("minikube").write("tmp/f", "x")
    store.release_pod("uid-1")
    assert store.empty_dir("uid-1", "cache").listdir("") == []
    assert store.node("minikube").read("tmp/f") == "x"
    assert store.share("10.0.0.5", "/exports/") is store.share("10.0.0.5", "exports")
