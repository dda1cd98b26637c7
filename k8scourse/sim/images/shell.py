"""A small POSIX shell for the simulated busybox, alpine and ubuntu images (`sh -c '...'`).

Called by the image programs (a container whose command is `sh -c SCRIPT`) and by exec. It knows what a
course needs: `;`, `&&`, `||`, `|`, newlines, `while`/`until`/`for`/`if`, `{ }`, quoting, `$VAR`, `${VAR}`,
`$?`, `${#VAR}`, `${VAR:-word}`, `${VAR:=word}` (and their forms without the colon), `$(cmd)`, `$((...))`
arithmetic (`arith.py`), redirections to files, and the builtins in `commands.py`. Programs are generators of
actions (see `process.py`), so `while true; do echo hi; sleep 5; done` runs for ever on the virtual clock.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from ..storage import FSError
from ..storage.mounts import as_container_fs, normalise
from .arith import ArithError, evaluate
from .process import Out, Program, ProgramContext, Sleep

_NO_DIR = {"No such file or directory": "nonexistent directory"}
_NO_FILE = {"No such file or directory": "no such file"}

OPERATORS = ("&&", "||", ";;", ">>", "2>&1", "2>", ";", "|", "&", "(", ")", ">", "<", "\n")
KEYWORDS = {"while", "until", "for", "if", "then", "elif", "else", "fi", "do", "done", "in", "{", "}"}
BUSY_LOOP = 10000  # iterations without sleeping after which a loop is taken to spin for ever


class ShellSyntaxError(Exception):
    pass


class ShellExit(Exception):
    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


@dataclass
class Word:
    raw: str


def tokenize(script: str) -> list[str | Word]:
    tokens: list[str | Word] = []
    i, n = 0, len(script)
    while i < n:
        c = script[i]
        if c in " \t":
            i += 1
            continue
        if c == "#" and (not tokens or isinstance(tokens[-1], str)):
            while i < n and script[i] != "\n":
                i += 1
            continue
        if c == "\\" and i + 1 < n and script[i + 1] == "\n":
            i += 2
            continue
        op = next((o for o in OPERATORS if script.startswith(o, i)), None)
        if op:
            tokens.append(op)
            i += len(op)
            continue
        start = i
        while i < n and script[i] not in " \t\n;&|()<>":
            ch = script[i]
            if ch == "\\":
                i += 2
            elif ch in "'\"":
                end = script.find(ch, i + 1)
                while ch == '"' and end > 0 and script[end - 1] == "\\":
                    end = script.find(ch, end + 1)
                if end < 0:
                    raise ShellSyntaxError("unterminated quoted string")
                i = end + 1
            elif script.startswith("$(", i):
                depth, i = 1, i + 2
                while i < n and depth:
                    depth += {"(": 1, ")": -1}.get(script[i], 0)
                    i += 1
            else:
                i += 1
        if script[start:i] == "2" and script.startswith(">", i):
            continue
        tokens.append(Word(script[start:i]))
    return tokens


class Parser:
    """Recursive descent over the tokens into nested tuples: ("seq", ...), ("and", a, b), ("cmd", ...)."""

    def __init__(self, tokens: list[str | Word]):
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | Word | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def keyword(self) -> str | None:
        tok = self.peek()
        return tok.raw if isinstance(tok, Word) and tok.raw in KEYWORDS else None

    def take(self) -> str | Word:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def expect(self, keyword: str) -> None:
        self.skip_separators()
        if self.keyword() != keyword:
            found = self.peek()
            shown = found.raw if isinstance(found, Word) else (found or "end of file").replace("\n", "newline")
            raise ShellSyntaxError(f"unexpected {shown} (expecting \"{keyword}\")")
        self.pos += 1

    def skip_separators(self) -> None:
        while self.peek() in (";", "\n"):
            self.pos += 1

    def parse_list(self, stop: tuple[str, ...] = ()) -> tuple:
        items = []
        self.skip_separators()
        while self.peek() is not None and self.keyword() not in stop and self.peek() != ")":
            items.append(self.parse_and_or())
            if self.peek() in (";", "\n", "&"):
                self.take()
            self.skip_separators()
        return ("seq", *items)

    def parse_and_or(self) -> tuple:
        left = self.parse_pipeline()
        while self.peek() in ("&&", "||"):
            op = self.take()
            while self.peek() == "\n":
                self.take()
            left = ("and" if op == "&&" else "or", left, self.parse_pipeline())
        return left

    def parse_pipeline(self) -> tuple:
        negate = isinstance(self.peek(), Word) and self.peek().raw == "!"
        if negate:
            self.take()
        stages = [self.parse_command()]
        while self.peek() == "|":
            self.take()
            stages.append(self.parse_command())
        node = stages[0] if len(stages) == 1 else ("pipe", *stages)
        return ("not", node) if negate else node

    def parse_command(self) -> tuple:
        kw = self.keyword()
        if kw in ("while", "until"):
            self.take()
            cond = self.parse_list(("do",))
            self.expect("do")
            body = self.parse_list(("done",))
            self.expect("done")
            return (kw, cond, body)
        if kw == "for":
            self.take()
            var = self.take()
            items: list[Word] = []
            self.skip_separators()
            if self.keyword() == "in":
                self.take()
                while isinstance(self.peek(), Word) and self.keyword() != "do":
                    items.append(self.take())
            self.expect("do")
            body = self.parse_list(("done",))
            self.expect("done")
            return ("for", var.raw if isinstance(var, Word) else "", items, body)
        if kw == "if":
            self.take()
            branches = []
            cond = self.parse_list(("then",))
            self.expect("then")
            branches.append((cond, self.parse_list(("elif", "else", "fi"))))
            otherwise = ("seq",)
            while self.keyword() == "elif":
                self.take()
                cond = self.parse_list(("then",))
                self.expect("then")
                branches.append((cond, self.parse_list(("elif", "else", "fi"))))
            if self.keyword() == "else":
                self.take()
                otherwise = self.parse_list(("fi",))
            self.expect("fi")
            return ("if", branches, otherwise)
        if kw == "{":
            self.take()
            body = self.parse_list(("}",))
            self.expect("}")
            return body
        if self.peek() == "(":
            self.take()
            body = self.parse_list()
            if self.peek() != ")":
                raise ShellSyntaxError("unexpected end of file (expecting \")\")")
            self.take()
            return body
        return self.parse_simple()

    def parse_simple(self) -> tuple:
        words: list[Word] = []
        redirects: list[tuple[str, Word | None]] = []
        while True:
            tok = self.peek()
            if isinstance(tok, Word) and not (not words and tok.raw in KEYWORDS - {"{", "}", "in"}):
                if tok.raw == "}" and not words:
                    break
                words.append(self.take())
            elif tok in (">", ">>", "2>", "<"):
                self.take()
                target = self.take()
                if not isinstance(target, Word):
                    raise ShellSyntaxError(f"unexpected \"{target}\"".replace("\n", "newline"))
                redirects.append((tok, target))
            elif tok == "2>&1":
                self.take()
                redirects.append(("2>&1", None))
            else:
                break
        if not words and not redirects:
            tok = self.peek()
            shown = tok.raw if isinstance(tok, Word) else (tok or "end of file")
            raise ShellSyntaxError(f"unexpected \"{shown}\"".replace("\n", "newline"))
        return ("cmd", words, redirects)


def parse(script: str) -> tuple:
    parser = Parser(tokenize(script))
    tree = parser.parse_list()
    if parser.peek() is not None:
        tok = parser.peek()
        raise ShellSyntaxError(f"unexpected \"{tok.raw if isinstance(tok, Word) else tok}\"")
    return tree


_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*|[?$#0-9]))")
_PARAM = re.compile(r"\$\{(#?)([A-Za-z_][A-Za-z0-9_]*|[?$#0-9])(?:(:?[-=])([^}]*))?\}")


class Shell:
    """Runs a parsed script in a context; `last` is `$?`."""

    def __init__(self, ctx: ProgramContext, name: str = "sh", cwd: str = "/"):
        ctx.files = as_container_fs(ctx.files)
        self.ctx = ctx
        self.name = name
        self.last = 0
        self.loop_depth = 0
        self.cwd = cwd

    # --- expansion ---------------------------------------------------------------------------------
    def var(self, name: str) -> str:
        if name == "?":
            return str(self.last)
        if name == "$":
            return "1"
        if name == "#":
            return "0"
        if name == "0":
            return self.name
        return self.ctx.env.get(name, "")

    def parameter(self, m: re.Match[str]) -> str:
        """${#VAR}, ${VAR:-word}, ${VAR-word}, ${VAR:=word}, ${VAR=word} (ash's varvalue and subevalvar)."""
        length, name, op, word = m.groups()
        value = self.var(name)
        if length:
            return str(len(value))
        unset = name not in self.ctx.env if name.isidentifier() else False
        if op and (unset or (op.startswith(":") and not value)):
            value = self.substitute(word)
            if op.endswith("="):
                self.ctx.env[name] = value
        return value

    def substitute(self, text: str) -> str:
        out, i = [], 0
        while i < len(text):
            if text.startswith("$((", i):
                depth, j = 2, i + 3
                while j < len(text) and depth:
                    depth += {"(": 1, ")": -1}.get(text[j], 0)
                    j += 1
                out.append(str(evaluate(self.substitute(text[i + 3:j - 2]), self.ctx.env)))
                i = j
                continue
            m = _PARAM.match(text, i)
            if m:
                out.append(self.parameter(m))
                i = m.end()
                continue
            if text.startswith("$(", i):
                depth, j = 1, i + 2
                while j < len(text) and depth:
                    depth += {"(": 1, ")": -1}.get(text[j], 0)
                    j += 1
                out.append(self.capture(text[i + 2:j - 1]).rstrip("\n"))
                i = j
                continue
            m = _VAR.match(text, i)
            if m:
                out.append(self.var(m.group(1) or m.group(2)))
                i = m.end()
                continue
            out.append(text[i])
            i += 1
        return "".join(out)

    def capture(self, script: str) -> str:
        sub = Shell(ProgramContext(**{**self.ctx.__dict__, "env": dict(self.ctx.env)}), self.name, self.cwd)
        gen = sub.run_tree(parse(script))
        texts = []
        try:
            while True:
                action = next(gen)
                if isinstance(action, Out) and action.stream == "stdout":
                    texts.append(action.text)
        except StopIteration:
            pass
        return "".join(texts)

    def expand(self, word: Word) -> list[str]:
        """Quote removal, parameter and command substitution, and field splitting of unquoted parts."""
        raw, fields, current, quoted_any = word.raw, [], [], False
        i = 0
        while i < len(raw):
            c = raw[i]
            if c == "'":
                end = raw.index("'", i + 1)
                current.append(raw[i + 1:end])
                quoted_any = True
                i = end + 1
            elif c == '"':
                end = i + 1
                while raw[end] != '"' or raw[end - 1] == "\\":
                    end += 1
                inner = raw[i + 1:end].replace('\\"', '"').replace("\\$", "\0")
                current.append(self.substitute(inner).replace("\0", "$"))
                quoted_any = True
                i = end + 1
            elif c == "\\" and i + 1 < len(raw):
                current.append(raw[i + 1])
                i += 2
            else:
                j = i
                while j < len(raw) and raw[j] not in "'\"\\":
                    if raw.startswith("$(", j):
                        depth, j = 1, j + 2
                        while j < len(raw) and depth:
                            depth += {"(": 1, ")": -1}.get(raw[j], 0)
                            j += 1
                    else:
                        j += 1
                expanded = self.substitute(raw[i:j])  # once: expansions may assign or run commands
                parts = expanded.split()
                if parts and expanded[:1].isspace() and current:
                    fields.append("".join(current))
                    current = []
                for k, part in enumerate(parts):
                    current.append(part)
                    if k < len(parts) - 1 or expanded[-1:].isspace():
                        fields.append("".join(current))
                        current = []
                i = j
        if current or (quoted_any and not fields):
            fields.append("".join(current))
        return fields

    # --- files -------------------------------------------------------------------------------------
    def path(self, path: str) -> str:
        return normalise(path, self.cwd)

    def redirect(self, op: str, path: str) -> str | None:
        """Open a redirection's file before the command runs (`>` truncates); the shell's error text or None."""
        if path == "/dev/null" or op in ("2>&1", "2>"):
            return None
        files = self.ctx.files
        try:
            if op == "<":
                files.read(self.path(path))
            elif op == ">":
                files.write(self.path(path), "")
            else:
                files.write(self.path(path), "", append=True)
        except FSError as exc:
            # ash's openredirect: errmsg(errno, "nonexistent directory" / "no such file")
            if op == "<":
                return f"{self.name}: can't open {path}: {_NO_FILE.get(exc.reason, exc.reason)}\n"
            return f"{self.name}: can't create {path}: {_NO_DIR.get(exc.reason, exc.reason)}\n"
        return None

    def append(self, path: str, text: str) -> None:
        with contextlib.suppress(FSError):
            self.ctx.files.write(self.path(path), text, append=True)

    # --- execution ---------------------------------------------------------------------------------
    def run(self, script: str) -> Program:
        try:
            tree = parse(script)
        except ShellSyntaxError as exc:
            yield Out(f"{self.name}: syntax error: {exc}\n", "stderr")
            return 2
        return (yield from self.run_tree(tree))

    def run_tree(self, tree: tuple) -> Program:
        try:
            return (yield from self.execute(tree))
        except ShellExit as done:
            return done.code
        except ArithError as exc:  # ash_arith: ash_msg_and_raise_error(errmsg) ends a non-interactive shell
            yield Out(f"{self.name}: {exc}\n", "stderr")
            return 2

    def execute(self, node: tuple, stdin: str = "") -> Program:
        kind = node[0]
        if kind == "seq":
            for child in node[1:]:
                self.last = yield from self.execute(child, stdin)
            return self.last
        if kind in ("and", "or"):
            status = yield from self.execute(node[1], stdin)
            self.last = status
            if (status == 0) == (kind == "and"):
                self.last = yield from self.execute(node[2], stdin)
            return self.last
        if kind == "not":
            status = yield from self.execute(node[1], stdin)
            return 0 if status else 1
        if kind == "pipe":
            return (yield from self.pipe(node[1:], stdin))
        if kind in ("while", "until"):
            return (yield from self.loop(kind, node[1], node[2]))
        if kind == "for":
            return (yield from self.for_loop(node[1], node[2], node[3]))
        if kind == "if":
            for cond, body in node[1]:
                if (yield from self.execute(cond, stdin)) == 0:
                    return (yield from self.execute(body, stdin))
            return (yield from self.execute(node[2], stdin))
        return (yield from self.simple(node[1], node[2], stdin))

    def loop(self, kind: str, cond: tuple, body: tuple) -> Program:
        self.loop_depth += 1
        status, idle = 0, 0
        try:
            while True:
                if ((yield from self.execute(cond)) == 0) != (kind == "while"):
                    return status
                slept = False
                for action in self.steps(self.execute(body)):
                    if isinstance(action, Sleep):
                        slept = True
                    if isinstance(action, int):
                        status = action
                    else:
                        yield action
                idle = 0 if slept else idle + 1
                if idle >= BUSY_LOOP:  # a loop that never sleeps spins for ever
                    while True:
                        yield Sleep(3600.0, background=True)
        finally:
            self.loop_depth -= 1

    @staticmethod
    def steps(gen: Program):
        """Yield a generator's actions, then its return value."""
        try:
            while True:
                yield next(gen)
        except StopIteration as stop:
            yield stop.value if stop.value is not None else 0

    def for_loop(self, var: str, items: list[Word], body: tuple) -> Program:
        values = [v for w in items for v in self.expand(w)]
        status = 0
        for value in values:
            self.ctx.env[var] = value
            status = yield from self.execute(body)
        return status

    def pipe(self, stages: tuple, stdin: str) -> Program:
        data, status = stdin, 0
        for stage in stages[:-1]:
            captured: list[str] = []
            for action in self.steps(self.execute(stage, data)):
                if isinstance(action, Out) and action.stream == "stdout":
                    captured.append(action.text)
                elif isinstance(action, int):
                    status = action
                else:
                    yield action
            data = "".join(captured)
        status = yield from self.execute(stages[-1], data)
        return status

    def simple(self, words: list[Word], redirects: list, stdin: str) -> Program:
        from .commands import run_command

        argv = [f for w in words for f in self.expand(w)]
        assignments = {}
        while argv and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", argv[0]):
            key, _, value = argv.pop(0).partition("=")
            assignments[key] = value
        if not argv:
            self.ctx.env.update(assignments)
            return 0
        if argv[0] == "exit":
            raise ShellExit(int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else self.last)
        saved = dict(self.ctx.env)
        self.ctx.env.update(assignments)
        out_file, err_to_out, err_null = None, False, False
        for op, target in redirects:
            path = self.expand(target)[0] if target else ""
            failure = self.redirect(op, path)
            if failure is not None:
                yield Out(failure, "stderr")
                self.ctx.env = saved
                self.last = 2
                return 2
            if op in (">", ">>"):
                out_file = "" if path == "/dev/null" else path  # "": output discarded
            elif op == "2>&1":
                err_to_out = True
            elif op == "2>":
                err_null = True
            elif op == "<":
                stdin = self.ctx.files.read(self.path(path))
        status = 0
        try:
            for action in self.steps(run_command(argv, self, stdin)):
                if isinstance(action, int):
                    status = action
                    continue
                if isinstance(action, Out):
                    to_file = action.stream == "stdout" or err_to_out
                    if action.stream == "stderr" and err_null and not err_to_out:
                        continue
                    if out_file is not None and to_file:
                        if out_file:
                            self.append(out_file, action.text)
                        continue
                if isinstance(action, Sleep) and self.loop_depth and not action.background:
                    action = Sleep(action.seconds, background=True)
                yield action
        finally:
            if assignments:
                self.ctx.env = {**saved, **{k: v for k, v in self.ctx.env.items() if k not in assignments}}
        self.last = status
        return status


def run_sh(ctx: ProgramContext, script: str, name: str = "sh") -> Program:
    """`sh -c SCRIPT`."""
    return (yield from Shell(ctx, name).run(script))
