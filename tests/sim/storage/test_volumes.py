"""Volumes end to end: data written through exec lives exactly as long as the real volume would.

Wording: kubelet operation_generator.go (`MountVolume.SetUp failed for volume %q : %v`),
pkg/volume/hostpath/host_path.go (checkTypeInternal), busybox ash (`can't create %s: %s`),
kube-scheduler volumebinding (`pod has unbound immediate PersistentVolumeClaims`), docker-library
postgres docker-entrypoint.sh (`PostgreSQL Database directory appears to contain a database; Skipping
initialization`).
"""

from __future__ import annotations


def test_data_in_a_claim_survives_pod_deletion_and_an_emptydir_does_not(storage):
    storage.apply(storage.CLAIM)
    for name, volume in (("pvc", "persistentVolumeClaim: {claimName: data}"), ("scratch", "emptyDir: {}")):
        storage.apply(storage.pod(name, volume))
        assert storage.sh(name, "echo hi > /data/x && cat /data/x") == ("hi\n", 0)
        storage.delete("pod", name)
        storage.apply(storage.pod(name, volume))
    assert storage.sh("pvc", "cat /data/x") == ("hi\n", 0)
    assert storage.sh("scratch", "cat /data/x") == ("cat: can't open '/data/x': No such file or directory\n", 1)


def test_an_emptydir_is_shared_by_the_containers_of_a_pod(storage):
    storage.apply("""
apiVersion: v1
kind: Pod
metadata: {name: pair}
spec:
  containers:
  - {name: writer, image: busybox, command: [sh, -c, 'echo from-writer > /out/msg; sleep 3600'],
     volumeMounts: [{name: shared, mountPath: /out}]}
  - {name: reader, image: busybox, command: [sh, -c, 'sleep 3600'], volumeMounts: [{name: shared, mountPath: /in}]}
  volumes: [{name: shared, emptyDir: {medium: Memory}}]
""")
    result = storage.cluster.kubectl("exec pair -c reader -- cat /in/msg")
    assert result.stdout == "from-writer\n"
    df = storage.cluster.kubectl("exec pair -c reader -- df -h").stdout
    assert any(line.startswith("tmpfs") and line.endswith(" /in") for line in df.splitlines())


def test_files_outside_volumes_vanish_when_the_container_restarts(storage):
    storage.apply(storage.pod("p", "emptyDir: {}"))
    storage.sh("p", "echo a > /data/kept; echo b > /tmp/lost")
    worker = next(w for k in storage.cluster.backend.kubelets.values() for w in k.workers.values() if w.name == "p")
    worker.records[0].process.kill(137, "Error")  # the container dies; the kubelet starts a new one
    storage.cluster.settle()
    assert storage.sh("p", "cat /data/kept") == ("a\n", 0)
    assert storage.sh("p", "cat /tmp/lost")[1] == 1


def test_hostpath_data_stays_on_its_node(two_nodes):
    volume = "hostPath: {path: /mnt/shared, type: DirectoryOrCreate}"
    two_nodes.apply(two_nodes.pod("a", volume, extra="nodeName: minikube"))
    two_nodes.sh("a", "echo on-minikube > /data/f")
    two_nodes.delete("pod", "a")
    two_nodes.apply(two_nodes.pod("b", volume, extra="nodeName: minikube-m02"))
    two_nodes.apply(two_nodes.pod("c", volume, extra="nodeName: minikube"))
    assert two_nodes.sh("b", "ls /data") == ("", 0)
    assert two_nodes.sh("c", "cat /data/f") == ("on-minikube\n", 0)


def test_hostpath_type_directory_must_exist(storage):
    storage.apply(storage.pod("hp", "hostPath: {path: /srv/missing, type: Directory}"))
    assert ("Warning", "FailedMount", 'MountVolume.SetUp failed for volume "v" : hostPath type check failed: '
            "/srv/missing is not a directory", "kubelet") in storage.events("Pod", "hp")
    storage.apply(storage.pod("hp2", "hostPath: {path: /srv/made, type: DirectoryOrCreate}"))
    assert storage.sh("hp2", "ls -ld /data")[0].startswith("drwxr-xr-x")


def test_configmap_volume_modes_read_only_and_links(storage):
    storage.apply("""
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {app.conf: "debug=false\\n", secret.key: abc}
""")
    storage.apply(storage.pod("cm", "configMap: {name: cfg, defaultMode: 0400, items: [{key: app.conf, path: "
                                    "app.conf}, {key: secret.key, path: keys/s, mode: 0600}]}", mount="/etc/app"))
    listing = storage.sh("cm", "ls -lL /etc/app /etc/app/keys")[0]
    assert "-r--------    1 root     root            12" in listing and "app.conf" in listing
    assert "-rw-------    1 root     root             3" in listing
    assert "app.conf -> ..data/app.conf" in storage.sh("cm", "ls -l /etc/app")[0]
    assert storage.sh("cm", "echo x > /etc/app/new") == ("sh: can't create /etc/app/new: Read-only file system\n", 2)


def test_configmap_volumes_refresh_after_the_sync_but_env_and_subpath_do_not(storage):
    storage.apply("""
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {color: blue}
---
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'sleep 3600']
    env: [{name: COLOR, valueFrom: {configMapKeyRef: {name: cfg, key: color}}}]
    volumeMounts: [{name: cfg, mountPath: /etc/cfg}, {name: cfg, mountPath: /color, subPath: color}]
  volumes: [{name: cfg, configMap: {name: cfg}}]
""")
    storage.cluster.kubectl(["patch", "configmap", "cfg", "-p", '{"data":{"color":"green"}}'])
    assert storage.sh("app", "cat /etc/cfg/color")[0] == "blue"  # not yet: the kubelet syncs once a minute
    report = storage.cluster.settle()
    assert 0 < report.seconds <= 60
    assert storage.sh("app", "cat /etc/cfg/color; echo; cat /color; echo; echo $COLOR")[0] == "green\nblue\nblue\n"


def test_a_pod_with_an_unbound_or_missing_claim_stays_pending(storage):
    storage.apply(storage.pod("w", "persistentVolumeClaim: {claimName: nope}"))
    message = ('0/1 nodes are available: persistentvolumeclaim "nope" not found. preemption: 0/1 nodes are '
               "available: 1 Preemption is not helpful for scheduling.")
    assert ("Warning", "FailedScheduling", message, "default-scheduler") in storage.events("Pod", "w")
    storage.apply(storage.CLAIM.replace("data}", "nope}").replace("spec:", "spec:\n  storageClassName: manual"))
    message = ("0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes "
               "are available: 1 Preemption is not helpful for scheduling.")
    assert ("Warning", "FailedScheduling", message, "default-scheduler") in storage.events("Pod", "w")
    assert "Pending" in storage.kubectl("get pod w")


def test_postgres_finds_its_database_again_on_a_claim(storage):
    storage.apply(storage.CLAIM)
    manifest = storage.pod("db", "persistentVolumeClaim: {claimName: data}", mount="/var/lib/postgresql/data",
                           image="postgres:16").replace("command: [sh, -c, 'sleep 3600']",
                                                        "env: [{name: POSTGRES_PASSWORD, value: pw}]")
    storage.apply(manifest)
    assert "PostgreSQL init process complete" in storage.kubectl("logs db")
    storage.delete("pod", "db")
    storage.apply(manifest)
    logs = storage.kubectl("logs db")
    assert logs.startswith("\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n")
    assert "init process" not in logs


def test_statefulset_claims_are_reattached_after_scale_down_and_up(storage):
    storage.apply("""
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: 2
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
      - {name: nginx, image: "nginx:1.27", volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]}
  volumeClaimTemplates:
  - metadata: {name: www}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
""")
    storage.sh("web-1", "echo I am web-1 > /usr/share/nginx/html/index.html")
    storage.cluster.kubectl("scale statefulset web --replicas=1")
    storage.cluster.settle()
    claims = storage.kubectl("get pvc")
    assert "www-web-0   Bound" in claims and "www-web-1   Bound" in claims  # Retain: kept after scale-down
    storage.cluster.kubectl("scale statefulset web --replicas=2")
    storage.cluster.settle()
    assert storage.sh("web-1", "cat /usr/share/nginx/html/index.html") == ("I am web-1\n", 0)


def test_secret_volumes_are_tmpfs_and_configmap_volumes_sit_on_the_node_disk(storage):
    # pkg/volume/secret/secret.go wraps an emptyDir with medium Memory; pkg/volume/configmap/configmap.go
    # wraps one with the default medium (the node's disk).
    storage.apply("""
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {color: blue}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: s3cret}
---
apiVersion: v1
kind: Pod
metadata: {name: mounts}
spec:
  containers:
  - {name: app, image: busybox, command: [sleep, "3600"],
     volumeMounts: [{name: config, mountPath: /config}, {name: secret, mountPath: /secret}]}
  volumes: [{name: config, configMap: {name: settings}}, {name: secret, secret: {secretName: creds}}]
""")
    rows = {line.split()[-1]: line.split()[0] for line in
            storage.cluster.kubectl("exec mounts -- df -h").stdout.splitlines()[1:]}
    assert rows["/secret"] == "tmpfs"
    assert rows["/config"] != "tmpfs"
