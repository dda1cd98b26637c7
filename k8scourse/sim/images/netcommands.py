"""The network tools of the simulated shell images: nslookup, curl, wget, ping and nc.

Registered into the shell's command table (`commands.COMMANDS`) when `commands.py` is imported; called by
the shell and by `kubectl exec pod -- curl ...`. They reach the cluster through `ctx.network`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .commands import command
from .process import Out, Program

if TYPE_CHECKING:
    from .shell import Shell


@command("wget", "curl", "nslookup", "ping", "nc")
def _network(argv: list[str], shell: Shell, stdin: str) -> Program:
    targets = [a for a in argv[1:] if not a.startswith("-")]
    if not targets:
        yield Out(f"{argv[0]}: missing URL\n", "stderr")
        return 1
    host = re.sub(r"^[a-z]+://", "", targets[0]).split("/", 1)[0].split(":", 1)[0]
    if shell.ctx.network.resolve(host) is None:
        messages = {
            "wget": f"wget: bad address '{host}'\n",
            "curl": f"curl: (6) Could not resolve host: {host}\n",
            "nslookup": f"** server can't find {host}: NXDOMAIN\n",
            "ping": f"ping: bad address '{host}'\n",
            "nc": f"nc: bad address '{host}'\n",
        }
        yield Out(messages[argv[0]], "stderr")
        return 6 if argv[0] == "curl" else 1
    yield Out(f"{argv[0]}: can't connect to remote host ({host}): Connection refused\n", "stderr")
    return 7 if argv[0] == "curl" else 1
