"""The catalogue: docker's pull errors for unknown repositories and tags, registration, image programs'
behaviour (entrypoint errors worded as the docker-library entrypoint scripts word them)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from k8scourse.sim.images import (
    ProgramContext,
    PullError,
    StartFailure,
    argv_for,
    default_catalogue,
    launch,
    parse,
)
from k8scourse.sim.images.process import Listen, Out, Serve


def run(image: str, command=None, args=None, env=None, limit: int = 200):
    catalogue = default_catalogue()
    ref = parse(image)
    spec = catalogue.lookup(ref)
    ctx = ProgramContext([], dict(env or {}), "pod", now=lambda: datetime(2026, 1, 5, 9, 0, 0))
    program = launch(spec, ref.tag, argv_for(spec, command, args), ctx)
    if isinstance(program, StartFailure):
        return program
    actions = []
    try:
        for _ in range(limit):
            action = next(program)
            actions.append(action)
            if isinstance(action, Serve):
                return actions, None
    except StopIteration as stop:
        return actions, stop.value
    return actions, None


def text(actions, stream=None):
    return "".join(a.text for a in actions if isinstance(a, Out) and (stream is None or a.stream == stream))


def test_unknown_repository_and_tag():
    catalogue = default_catalogue()
    with pytest.raises(PullError, match="pull access denied for ngin, repository does not exist"):
        catalogue.lookup(parse("ngin"))
    with pytest.raises(PullError, match="manifest for nginx:9.9 not found: manifest unknown: manifest unknown"):
        catalogue.lookup(parse("nginx:9.9"))
    # the notes' `kuard-amd64:blue` has no registry, so Docker Hub is asked, and it has no such repository
    with pytest.raises(PullError, match="pull access denied for kuard-amd64"):
        catalogue.lookup(parse("kuard-amd64:blue"))


def test_registering_an_image():
    catalogue = default_catalogue()
    spec = catalogue.register(repository="me/app", tags=("1.0",), size=1000, ports=(8080,))
    assert spec.repository == "docker.io/me/app"
    assert catalogue.lookup(parse("me/app:1.0")) is spec


def test_nginx_logs_and_listens():
    actions, _ = run("nginx:1.27")
    assert "nginx/1.27.5" in text(actions)
    assert Listen(80) in actions


def test_mongo_needs_both_root_variables():
    actions, code = run("mongo", env={"MONGO_INITDB_ROOT_USERNAME": "admin"})
    assert code == 1
    assert "error: missing 'MONGO_INITDB_ROOT_USERNAME' or 'MONGO_INITDB_ROOT_PASSWORD'" in text(actions, "stderr")
    actions, code = run("mongo", env={"MONGO_INITDB_ROOT_USERNAME": "a", "MONGO_INITDB_ROOT_PASSWORD": "b"})
    assert code is None and Listen(27017) in actions and "Waiting for connections" in text(actions)


def test_postgres_and_mysql_need_a_password():
    actions, code = run("postgres:16")
    assert code == 1
    assert text(actions, "stderr").startswith("Error: Database is uninitialized and superuser password is not "
                                              "specified.")
    actions, code = run("mysql:8.0")
    assert code == 1 and "Database is uninitialized and password option is not specified" in text(actions)


def test_mongo_express_logs_the_failed_connection_until_networking_exists():
    actions, code = run("mongo-express", env={"ME_CONFIG_MONGODB_SERVER": "mongodb-service"})
    assert code == 1
    assert "Waiting for mongodb-service:27017..." in text(actions)
    assert "getaddrinfo ENOTFOUND mongodb-service" in text(actions, "stderr")


def test_commands_an_image_does_not_have():
    failure = run("alpine", command=["bash"])
    assert failure == StartFailure('exec: "bash": executable file not found in $PATH')
    actions, code = run("busybox")
    assert (actions, code) == ([], 0)  # `sh` without a terminal exits at once


def test_postgres_log_lines_carry_milliseconds_and_the_zone():
    # postgres' default log_line_prefix is '%m [%p] ' (src/backend/utils/misc/postgresql.conf.sample): %m is
    # the time stamp with milliseconds, e.g. "2026-01-05 09:00:00.000 UTC [1] LOG:  ..."
    actions, _ = run("postgres:16", env={"POSTGRES_PASSWORD": "pw"})
    lines = [line for line in text(actions).splitlines() if "[1] LOG:" in line]
    assert lines and all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC \[1\] LOG:  ", line) for line in lines)
