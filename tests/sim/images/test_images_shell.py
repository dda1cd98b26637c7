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


# --- arithmetic and parameter expansion (busybox shell/math.c and ash.c subevalvar) ------------------------
def err(actions):
    return "".join(a.text for a in actions if isinstance(a, Out) and a.stream == "stderr")


def test_arithmetic_expansion_counts_in_a_loop():
    actions, code, ctx = sh('i=0; while [ $i -lt 3 ]; do i=$((i + 1)); echo "n=$i"; done; '
                            'echo $(( (7 - 10) / 2 )) $((7 % 3)) $((2 ** 8)) $((i > 2 ? 10 : 20)) $((x += 5)) $x')
    assert (out(actions), code) == ("n=1\nn=2\nn=3\n-1 1 256 10 5 5\n", 0)
    assert ctx.env["i"] == "3"


def test_arithmetic_errors_end_the_script_with_status_2():
    # math.c arith_apply: "divide by zero", "arithmetic syntax error"; ash prints them as `sh: <message>`
    actions, code, _ = sh("echo before; echo $((1 / 0)); echo after")
    assert (out(actions), err(actions), code) == ("before\n", "sh: divide by zero\n", 2)
    actions, code, _ = sh("echo $((1 +))")
    assert (err(actions), code) == ("sh: arithmetic syntax error\n", 2)


def test_default_assign_and_length_expansions():
    actions, _, ctx = sh('E=; echo "${UNSET:-dflt} ${E:-empty} ${E-kept} ${NAME:-x}"; echo ${NEW:=made} $NEW; '
                         'echo ${#NAME} ${#UNSET}', env={"NAME": "nginx"})
    assert out(actions) == "dflt empty  nginx\nmade made\n5 0\n"
    assert ctx.env["NEW"] == "made"
