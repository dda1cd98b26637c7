"""The small shell of the busybox/alpine/ubuntu images (busybox ash wording for its errors)."""

from __future__ import annotations

from datetime import datetime

from k8scourse.sim.images.process import Out, ProgramContext, Sleep
from k8scourse.sim.images.shell import run_sh


def sh(script: str, env=None, files=None, steps: int = 1000):
    ctx = ProgramContext(["sh"], dict(env or {}), "box", dict(files or {}),
                         now=lambda: datetime(2026, 1, 5, 9, 0, 0))
    gen = run_sh(ctx, script)
    actions = []
    try:
        for _ in range(steps):
            actions.append(next(gen))
    except StopIteration as stop:
        return actions, stop.value, ctx
    return actions, None, ctx


def out(actions):
    return "".join(a.text for a in actions if isinstance(a, Out) and a.stream == "stdout")


def test_sequences_and_conditionals():
    actions, code, _ = sh("echo a; false && echo no || echo yes; true && echo ok; exit 7")
    assert (out(actions), code) == ("a\nyes\nok\n", 7)


def test_variables_quotes_and_substitution():
    actions, _, _ = sh('X=1; echo "$X ${HOME}" \'$X\' $(hostname)', env={"HOME": "/root"})
    assert out(actions) == "1 /root $X box\n"


def test_for_if_and_files():
    actions, _, ctx = sh("for i in 1 2; do echo $i >> /tmp/f; done; if [ -f /tmp/f ]; then cat /tmp/f; fi")
    assert out(actions) == "1\n2\n" and ctx.files["/tmp/f"] == "1\n2\n"


def test_an_endless_loop_sleeps_in_the_background():
    actions, code, _ = sh("while true; do date; sleep 5; done", steps=6)
    assert code is None
    assert out(actions) == "Mon Jan  5 09:00:00 UTC 2026\n" * 3
    assert Sleep(5.0, background=True) in actions


def test_unknown_commands_and_syntax_errors():
    actions, code, _ = sh("nope")
    assert code == 127 and actions == [Out("sh: nope: not found\n", "stderr")]
    actions, code, _ = sh("while true; do echo")
    assert code == 2 and actions[0].stream == "stderr"


def test_pipes():
    actions, _, _ = sh("printf 'a\\nb\\na\\n' | grep a | wc -l")
    assert out(actions) == "2\n"
