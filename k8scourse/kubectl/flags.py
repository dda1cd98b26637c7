"""Command-line parsing as kubectl (cobra + pflag) does it: flags anywhere, `--x=v`, `--x v`, `-n ns`,
`-nns`, `-o=yaml`, boolean flags, `--` ending flags, and kubectl's own error wording.

Called by `k8scourse.kubectl.command` for every verb. Each verb declares its flags as `Flag`s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class UsageError(Exception):
    """A command line kubectl refuses before talking to the cluster; str() is kubectl's message."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint  # e.g. "See 'kubectl get --help' for usage."


@dataclass(frozen=True)
class Flag:
    """One flag: `--name` (and `-s`), taking a value or not, with a default; `many` collects repeats."""

    name: str
    short: str = ""
    takes_value: bool = True
    default: Any = None
    many: bool = False
    kind: type = str  # str, int, bool
    no_value: str | None = None  # pflag's NoOptDefVal: the value of `--flag` given without `=value`


# Flags every kubectl command accepts (kubectl's persistent flags that matter here).
GLOBAL_FLAGS = (
    Flag("namespace", "n"),
    Flag("context"),
    Flag("kubeconfig"),
    Flag("v", "v", kind=int),
    Flag("request-timeout"),
)


@dataclass
class Parsed:
    """What a command line said: positional arguments, flag values, and what came after `--`."""

    args: list[str] = field(default_factory=list)
    flags: dict[str, Any] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)
    after_dash: list[str] = field(default_factory=list)
    dash_seen: bool = False
    order: list[tuple[str, str]] = field(default_factory=list)  # (flag name, value as given) in command-line order

    def get(self, name: str) -> Any:
        return self.flags.get(name)

    def __getitem__(self, name: str) -> Any:
        return self.flags[name]


def _convert(flag: Flag, raw: str, shown: str) -> Any:
    if flag.kind is int:
        try:
            return int(raw)
        except ValueError:
            raise UsageError(f'invalid argument "{raw}" for "{shown}" flag: strconv.ParseInt: parsing '
                             f'"{raw}": invalid syntax') from None
    if flag.kind is bool:
        lowered = raw.lower()
        if lowered in ("1", "t", "true"):
            return True
        if lowered in ("0", "f", "false"):
            return False
        raise UsageError(f'invalid argument "{raw}" for "{shown}" flag: strconv.ParseBool: parsing '
                         f'"{raw}": invalid syntax')
    return raw


def parse(argv: list[str], flags: tuple[Flag, ...], command: str) -> Parsed:
    """Parse `argv` (the words after the verb) against `flags` plus the global ones."""
    table = {f.name: f for f in (*GLOBAL_FLAGS, *flags)}
    shorts = {f.short: f for f in (*GLOBAL_FLAGS, *flags) if f.short}
    out = Parsed()
    for f in table.values():
        out.flags[f.name] = list(f.default or []) if f.many else (False if not f.takes_value and f.default is None
                                                                  else f.default)
    hint = f"See 'kubectl {command} --help' for usage."
    i = 0
    while i < len(argv):
        word = argv[i]
        i += 1
        if word == "--":
            out.dash_seen = True
            out.after_dash = argv[i:]
            break
        if word.startswith("--") and len(word) > 2:
            name, eq, value = word[2:].partition("=")
            flag = table.get(name)
            if flag is None:
                raise UsageError(f"unknown flag: --{name}", hint)
            shown = f"--{name}"
        elif word.startswith("-") and len(word) > 1 and not word[1:].lstrip("-").isdigit():
            letter = word[1]
            flag = shorts.get(letter)
            if flag is None:
                raise UsageError(f"unknown shorthand flag: '{letter}' in {word}", hint)
            rest = word[2:]
            eq = "=" if rest else ""
            value = rest[1:] if rest.startswith("=") else rest
            if not flag.takes_value and rest and not rest.startswith("="):
                # combined boolean shorthands such as -it
                for extra in rest:
                    other = shorts.get(extra)
                    if other is None:
                        raise UsageError(f"unknown shorthand flag: '{extra}' in {word}", hint)
                    out.flags[other.name] = True
                    out.given.add(other.name)
                eq, value = "", ""
            shown = f"-{letter}, --{flag.name}" if flag.short else f"--{flag.name}"
        else:
            out.args.append(word)
            continue
        if flag.takes_value and flag.no_value is not None and not eq:
            converted = flag.no_value
        elif flag.takes_value:
            if not eq:
                if i >= len(argv):
                    needs = f"'{flag.short}' in -{flag.short}" if word[1] != "-" else f"--{flag.name}"
                    raise UsageError(f"flag needs an argument: {needs}", hint)
                value = argv[i]
                i += 1
            converted = _convert(flag, value, shown)
        else:
            converted = _convert(flag, value, shown) if eq else True
        if flag.many:
            out.flags[flag.name].append(converted)
        else:
            out.flags[flag.name] = converted
        out.given.add(flag.name)
        out.order.append((flag.name, "true" if converted is True else "false" if converted is False else str(converted)))
    return out
