"""Go's text/template, the subset `kubectl get -o go-template=…` users write, with kubectl's function map.

Called by the kubectl printers (`-o go-template=`, `go-template-file=`, `template=`, `templatefile=`). Follows
Go's text/template (lex.go, parse.go, exec.go, funcs.go) over the object as json.Unmarshal hands it to the
template (numbers are float64) and cli-runtime's pkg/printers/template.go (`exists`, `base64decode`,
missingkey=default unless --allow-missing-template-keys=false). Supported: text and `{{- -}}` trimming,
comments, fields and chains, `$` variables and `:=`/`=`, pipelines, parentheses, string/raw/number/bool/nil
literals, `if`/`else if`/`else`, `range` (with `$i, $v :=`, `else`, `break`, `continue`), `with`, and the
functions and, or, not, len, index, slice, print, printf, println, eq, ne, lt, le, gt, ge, html, js,
urlquery, exists, base64decode. Errors are worded as Go words them: `template: output:1: function "x" not
defined`, `template: output:1:2: executing "output" at <.a>: map has no entry for key "a"`.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .jsonpath import go_float, go_sprint

NAME = "output"


class TemplateError(Exception):
    """A parse or execution error, worded as Go's text/template words it."""


class _Missing:
    """reflect's invalid Value: what a missing map key gives with missingkey=default (prints `<no value>`)."""

    def __repr__(self) -> str:
        return "<no value>"


MISSING = _Missing()


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


# --- lexer -------------------------------------------------------------------------------------------------

@dataclass
class Token:
    kind: str  # text, field, var, ident, string, raw, number, char, bool, nil, dot, lparen, rparen, pipe,
    #            declare, assign, comma, space, left, right, keyword, eof
    value: str
    pos: int


SPACES = " \t\r\n"
KEYWORDS = {"if", "else", "end", "range", "with", "break", "continue", "define", "template", "block"}
_NUMBER = re.compile(r"[+-]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|(\d[\d_]*)?\.?\d[\d_]*([eE][+-]?\d+)?)")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _line(text: str, pos: int) -> int:
    return 1 + text.count("\n", 0, pos)


def _parse_error(text: str, pos: int, message: str) -> TemplateError:
    return TemplateError(f"template: {NAME}:{_line(text, pos)}: {message}")


def lex(text: str) -> list[Token]:
    """lex.go: text between actions, then the tokens of each action (`{{- ` and ` -}}` trim spaces)."""
    tokens: list[Token] = []
    pos = 0
    trim_next = False
    while True:
        start = text.find("{{", pos)
        chunk = text[pos:] if start == -1 else text[pos:start]
        trim_left = start != -1 and text[start + 2:start + 3] == "-" and len(text) > start + 3 and text[start + 3] in SPACES
        if trim_next:
            chunk = chunk.lstrip(SPACES)
        if trim_left:
            chunk = chunk.rstrip(SPACES)
        if chunk:
            tokens.append(Token("text", chunk, pos))
        if start == -1:
            tokens.append(Token("eof", "", len(text)))
            return tokens
        inner = start + (4 if trim_left else 2)
        if text.startswith("/*", inner):
            pos, trim_next = _skip_comment(text, start, inner)
            continue
        tokens.append(Token("left", "{{", start))
        pos, trim_next = _lex_action(text, inner, tokens)


def _skip_comment(text: str, start: int, inner: int) -> tuple[int, bool]:
    begin = text.find("/*", inner)
    end = text.find("*/", begin + 2)
    if end == -1:
        raise _parse_error(text, start, "unclosed comment")
    after = end + 2
    for close, trim in ((" -}}", True), ("}}", False)):
        if text.startswith(close, after):
            return after + len(close), trim
    raise _parse_error(text, start, "comment ends before closing delimiter")


def _lex_action(text: str, pos: int, tokens: list[Token]) -> tuple[int, bool]:
    depth = 0
    while True:
        if pos >= len(text):
            raise _parse_error(text, pos, "unclosed action")
        if text[pos] in SPACES and text.startswith("-}}", pos + 1):
            tokens.append(Token("right", "}}", pos + 1))
            return pos + 4, True
        if text.startswith("}}", pos):
            if depth:
                raise _parse_error(text, pos, "unclosed left paren")
            tokens.append(Token("right", "}}", pos))
            return pos + 2, False
        ch = text[pos]
        if ch in SPACES:
            end = pos
            while end < len(text) and text[end] in SPACES:
                end += 1
            tokens.append(Token("space", text[pos:end], pos))
            pos = end
            continue
        simple = {"(": "lparen", ")": "rparen", "|": "pipe", ",": "comma", "=": "assign"}
        if text.startswith(":=", pos):
            tokens.append(Token("declare", ":=", pos))
            pos += 2
        elif ch in simple:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth < 0:
                    raise _parse_error(text, pos, "unexpected right paren")
            tokens.append(Token(simple[ch], ch, pos))
            pos += 1
        elif ch == '"':
            end = pos + 1
            while end < len(text) and text[end] != '"':
                if text[end] == "\n":
                    break
                end += 2 if text[end] == "\\" else 1
            if end >= len(text) or text[end] != '"':
                raise _parse_error(text, pos, "unterminated quoted string")
            tokens.append(Token("string", text[pos:end + 1], pos))
            pos = end + 1
        elif ch == "`":
            end = text.find("`", pos + 1)
            if end == -1:
                raise _parse_error(text, pos, "unterminated raw quoted string")
            tokens.append(Token("raw", text[pos:end + 1], pos))
            pos = end + 1
        elif ch == "$":
            match = _IDENT.match(text, pos + 1)
            end = match.end() if match else pos + 1
            tokens.append(Token("var", text[pos:end], pos))
            pos = end
        elif ch == ".":
            match = _IDENT.match(text, pos + 1)
            if match:
                tokens.append(Token("field", text[pos:match.end()], pos))
                pos = match.end()
            elif pos + 1 < len(text) and text[pos + 1].isdigit():
                pos = _lex_number(text, pos, tokens)
            else:
                tokens.append(Token("dot", ".", pos))
                pos += 1
        elif ch.isdigit() or (ch in "+-" and pos + 1 < len(text) and text[pos + 1].isdigit()):
            pos = _lex_number(text, pos, tokens)
        elif ch == "'":
            end = text.find("'", pos + 1)
            if end == -1:
                raise _parse_error(text, pos, "unterminated character constant")
            tokens.append(Token("char", text[pos:end + 1], pos))
            pos = end + 1
        elif _IDENT.match(text, pos):
            word = _IDENT.match(text, pos).group()  # type: ignore[union-attr]
            kind = ("keyword" if word in KEYWORDS else "bool" if word in ("true", "false")
                    else "nil" if word == "nil" else "ident")
            tokens.append(Token(kind, word, pos))
            pos += len(word)
        else:
            raise _parse_error(text, pos, f"unrecognized character in action: {_go_rune(ch)}")


def _lex_number(text: str, pos: int, tokens: list[Token]) -> int:
    match = _NUMBER.match(text, pos)
    end = match.end() if match else pos + 1
    if end < len(text) and (text[end].isalnum() or text[end] == "."):
        raise _parse_error(text, pos, f'bad number syntax: "{text[pos:end + 1]}"')
    tokens.append(Token("number", text[pos:end], pos))
    return end


def _go_rune(ch: str) -> str:
    return f"U+{ord(ch):04X} '{ch}'"


# --- parse tree ------------------------------------------------------------------------------------------------

@dataclass
class Node:
    pos: int


@dataclass
class Text(Node):
    text: str


@dataclass
class Arg(Node):
    kind: str  # field, var, ident, dot, string, number, bool, nil, pipe (parenthesised), chain
    value: Any
    source: str
    fields: tuple[str, ...] = ()  # a chain's fields after the var or the parenthesised pipeline

    def __str__(self) -> str:
        if self.kind == "pipe":
            return f"({self.value})" + "".join("." + f for f in self.fields)
        return self.source


@dataclass
class Command(Node):
    args: list[Arg]

    def __str__(self) -> str:
        return " ".join(str(a) for a in self.args)


@dataclass
class Pipeline(Node):
    decl: list[str] = field(default_factory=list)
    assign: bool = False
    commands: list[Command] = field(default_factory=list)

    def __str__(self) -> str:
        text = " | ".join(str(c) for c in self.commands)
        if self.decl:
            text = ", ".join(self.decl) + (" = " if self.assign else " := ") + text
        return text


@dataclass
class Action(Node):
    pipe: Pipeline


@dataclass
class Branch(Node):
    keyword: str  # if, range, with
    pipe: Pipeline
    body: list[Node]
    other: list[Node] | None


@dataclass
class Jump(Node):
    keyword: str  # break, continue


FUNCTION_NAMES = {"and", "or", "not", "len", "index", "slice", "print", "printf", "println", "eq", "ne", "lt",
                  "le", "gt", "ge", "html", "js", "urlquery", "call", "exists", "base64decode"}


class Parser:
    """parse.go's recursive descent over the tokens of one template."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = lex(text)
        self.i = 0
        self.vars: list[list[str]] = [["$"]]
        self.loops = 0

    def parse(self) -> list[Node]:
        nodes, end = self._list()
        if end is not None:
            raise _parse_error(self.text, end.pos, f"unexpected {{{{{end.value}}}}}")
        return nodes

    def _peek(self, skip_space: bool = True) -> Token:
        j = self.i
        while skip_space and self.tokens[j].kind == "space":
            j += 1
        return self.tokens[j]

    def _next(self) -> Token:
        while self.tokens[self.i].kind == "space":
            self.i += 1
        token = self.tokens[self.i]
        self.i += 1
        return token

    def _list(self) -> tuple[list[Node], Token | None]:
        """Nodes up to `{{end}}`/`{{else}}` (returned, the delimiter consumed) or the end of the text."""
        nodes: list[Node] = []
        while True:
            token = self._next()
            if token.kind == "eof":
                return nodes, None
            if token.kind == "text":
                nodes.append(Text(token.pos, token.value))
                continue
            keyword = self._peek()
            if keyword.kind == "keyword" and keyword.value in ("end", "else"):
                self._next()
                if keyword.value == "end":
                    self._expect_right("end")
                return nodes, keyword
            nodes.append(self._action())

    def _expect_right(self, context: str) -> None:
        token = self._next()
        if token.kind != "right":
            raise _parse_error(self.text, token.pos, f"unexpected {self._describe(token)} in {context}")

    @staticmethod
    def _describe(token: Token) -> str:
        if token.kind == "eof":
            return "EOF"
        return f'"{token.value}"' if token.kind in ("text", "string") else f"<{token.value}>"

    def _action(self) -> Node:
        token = self._peek()
        if token.kind == "keyword":
            self._next()
            if token.value in ("if", "range", "with"):
                return self._branch(token)
            if token.value in ("break", "continue"):
                if not self.loops:
                    raise _parse_error(self.text, token.pos, f"{{{{{token.value}}}}} outside {{{{range}}}}")
                self._expect_right(token.value)
                return Jump(token.pos, token.value)
            raise _parse_error(self.text, token.pos, f"{{{{{token.value}}}}} is not supported by the course's "
                                                     "go-template printer")
        return Action(token.pos, self._pipeline("command", "right"))

    def _branch(self, token: Token) -> Node:
        self.vars.append(list(self.vars[-1]))
        pipe = self._pipeline(token.value, "right")
        if token.value == "range":
            self.loops += 1
        body, end = self._list()
        if token.value == "range":
            self.loops -= 1
        other: list[Node] | None = None
        if end is None:
            raise _parse_error(self.text, len(self.text), "unexpected EOF")
        if end.value == "else":
            nested = self._peek()
            if nested.kind == "keyword" and nested.value in ("if", "with") and token.value != "range":
                self._next()
                other = [self._branch(nested)]  # `else if` / `else with`: its {{end}} closes both
            else:
                self._expect_right("else")
                other, end = self._list()
                if end is None or end.value != "end":
                    raise _parse_error(self.text, end.pos if end else len(self.text),
                                       "unexpected EOF" if end is None else "expected end; found {{else}}")
        self.vars.pop()
        return Branch(token.pos, token.value, pipe, body, other)

    def _pipeline(self, context: str, end_kind: str) -> Pipeline:
        start = self._peek()
        pipe = Pipeline(start.pos)
        self._declarations(pipe)
        while True:
            token = self._peek()
            if token.kind == end_kind:
                self._next()
                break
            if token.kind == "eof":
                raise _parse_error(self.text, token.pos, "unclosed action")
            pipe.commands.append(self._command(context))
            after = self._next()
            if after.kind == end_kind:
                break
            if after.kind != "pipe":
                raise _parse_error(self.text, after.pos, f"unexpected {self._describe(after)} in {context}")
        if not pipe.commands:
            raise _parse_error(self.text, start.pos, f"missing value for {context}")
        return pipe

    def _declarations(self, pipe: Pipeline) -> None:
        j = self.i
        names: list[str] = []
        while True:
            while self.tokens[j].kind == "space":
                j += 1
            if self.tokens[j].kind != "var":
                return
            names.append(self.tokens[j].value)
            j += 1
            while self.tokens[j].kind == "space":
                j += 1
            kind = self.tokens[j].kind
            if kind in ("declare", "assign"):
                pipe.decl, pipe.assign = names, kind == "assign"
                self.i = j + 1
                if kind == "declare":
                    self.vars[-1].extend(names)
                else:
                    for name in names:
                        self._check_var(name, self.tokens[j].pos)
                return
            if kind != "comma" or len(names) > 1:
                return
            j += 1

    def _check_var(self, name: str, pos: int) -> None:
        if name not in self.vars[-1]:
            raise _parse_error(self.text, pos, f'undefined variable "{name}"')

    def _command(self, context: str) -> Command:
        first = self._peek()
        args: list[Arg] = []
        while True:
            token = self._peek(skip_space=False)
            if token.kind == "space":
                self.i += 1
                continue
            if token.kind in ("right", "pipe", "rparen", "eof"):
                break
            args.append(self._operand())
            nxt = self._peek(skip_space=False)
            if nxt.kind not in ("space", "right", "pipe", "rparen", "eof"):
                raise _parse_error(self.text, nxt.pos, f"unexpected {self._describe(nxt)} in operand")
        if not args:
            raise _parse_error(self.text, first.pos, "missing value for command")
        return Command(first.pos, args)

    def _operand(self) -> Arg:
        token = self._next()
        kind = token.kind
        if kind == "ident":
            if token.value not in FUNCTION_NAMES:
                raise _parse_error(self.text, token.pos, f'function "{token.value}" not defined')
            arg = Arg(token.pos, "ident", token.value, token.value)
        elif kind == "field":
            arg = Arg(token.pos, "field", (), "")
            self.i -= 1
            arg.fields = self._fields()
            arg.source = "".join("." + f for f in arg.fields)
        elif kind == "var":
            self._check_var(token.value, token.pos)
            fields = self._fields()
            arg = Arg(token.pos, "var", token.value, token.value + "".join("." + f for f in fields), fields)
        elif kind == "dot":
            arg = Arg(token.pos, "dot", None, ".")
        elif kind in ("string", "raw"):
            arg = Arg(token.pos, "string", _unquote(token.value) if kind == "string" else token.value[1:-1],
                      token.value)
        elif kind == "char":
            arg = Arg(token.pos, "number", ord(_unquote('"' + token.value[1:-1] + '"')), token.value)
        elif kind == "number":
            arg = Arg(token.pos, "number", _number(token.value, self.text, token.pos), token.value)
        elif kind == "bool":
            arg = Arg(token.pos, "bool", token.value == "true", token.value)
        elif kind == "nil":
            arg = Arg(token.pos, "nil", None, "nil")
        elif kind == "lparen":
            pipe = self._pipeline("parenthesized pipeline", "rparen")
            arg = Arg(token.pos, "pipe", pipe, "", self._fields())
        else:
            raise _parse_error(self.text, token.pos, f"unexpected {self._describe(token)} in operand")
        return arg

    def _fields(self) -> tuple[str, ...]:
        fields: list[str] = []
        while self.tokens[self.i].kind == "field":
            fields.append(self.tokens[self.i].value[1:])
            self.i += 1
        return tuple(fields)


def _unquote(quoted: str) -> str:
    """strconv.Unquote of a Go interpreted string literal."""
    body = quoted[1:-1]
    try:
        return body.encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1").decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return body.encode("utf-8").decode("unicode_escape")


def _number(text: str, source: str, pos: int) -> int | float:
    clean = text.replace("_", "")
    try:
        if re.fullmatch(r"[+-]?0[0-7]+", clean):
            return int(clean, 8)
        return int(clean, 0)
    except ValueError:
        pass
    try:
        return float(clean)
    except ValueError:
        raise _parse_error(source, pos, f'illegal number syntax: "{text}"') from None


# --- values as Go sees them ----------------------------------------------------------------------------------------

def from_json(value: Any) -> Any:
    """json.Unmarshal into interface{}: every number becomes a float64."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        return {str(k): from_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [from_json(v) for v in value]
    return value


def go_type(value: Any) -> str:
    """The Go type a value has inside the template: `float64`, `map[string]interface {}`, ..."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return "interface {}"


def sprint(value: Any) -> str:
    """fmt.Sprint of one value (`<no value>` for a missing one)."""
    if value is MISSING:
        return "<no value>"
    if isinstance(value, float):
        return go_float(value)
    return go_sprint(value)


def _sprint_many(values: list[Any]) -> str:
    """fmt.Sprint: a space between operands when neither side is a string."""
    out = ""
    for i, value in enumerate(values):
        if i and not isinstance(value, str) and not isinstance(values[i - 1], str):
            out += " "
        out += sprint(value)
    return out


def truth(value: Any) -> bool:
    """exec.go isTrue."""
    if value is MISSING or value is None:
        return False
    return bool(value)


# --- functions --------------------------------------------------------------------------------------------------

_VERB = re.compile(r"%([-+# 0]*)(\d+|\*)?(?:\.(\d+))?([a-zA-Z%])")


def go_sprintf(fmt: str, *args: Any) -> str:
    """fmt.Sprintf for the verbs templates use: %s %v %d %f %q %x %t %%, widths and precisions."""
    out: list[str] = []
    pos = 0
    index = 0
    for match in _VERB.finditer(fmt):
        out.append(fmt[pos:match.start()])
        pos = match.end()
        flags, width, precision, verb = match.groups()
        if verb == "%":
            out.append("%")
            continue
        if index >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        value = args[index]
        index += 1
        out.append(_pad(_format(verb, value, precision), flags, width))
    out.append(fmt[pos:])
    if index < len(args):
        out.append("%!(EXTRA " + ", ".join(f"{go_type(a)}={sprint(a)}" for a in args[index:]) + ")")
    return "".join(out)


def _format(verb: str, value: Any, precision: str | None) -> str:
    bad = f"%!{verb}({go_type(value)}={sprint(value)})"
    if verb in ("v", "s"):
        if verb == "s" and not isinstance(value, str | dict | list) and value is not MISSING:
            return bad if value is not None else "%!s(<nil>)"
        return sprint(value)[: int(precision)] if precision and isinstance(value, str) else sprint(value)
    if verb == "q":
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"' if isinstance(value, str) else bad
    if verb == "d":
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else bad
    if verb in ("f", "F", "e", "g"):
        if not isinstance(value, float | int) or isinstance(value, bool):
            return bad
        return f"{value:.{int(precision) if precision else 6}{verb}}" if verb != "g" else go_float(float(value))
    if verb == "t":
        return ("true" if value else "false") if isinstance(value, bool) else bad
    if verb in ("x", "X"):
        if isinstance(value, str):
            text = value.encode().hex()
        elif isinstance(value, int) and not isinstance(value, bool):
            text = format(value, "x")
        else:
            return bad
        return text.upper() if verb == "X" else text
    return bad


def _pad(text: str, flags: str, width: str | None) -> str:
    if not width or width == "*":
        return text
    if "-" in flags:
        return text.ljust(int(width))
    return text.rjust(int(width), "0" if "0" in flags and text.lstrip("-").isdigit() else " ")


def _length(value: Any) -> int:
    if isinstance(value, str | list | dict):
        return len(value.encode()) if isinstance(value, str) else len(value)
    if value is None or value is MISSING:
        raise TemplateError("len of nil pointer")
    raise TemplateError(f"len of type {go_type(value)}")


def _index(item: Any, *keys: Any) -> Any:
    if item is MISSING or item is None:
        raise TemplateError("index of untyped nil")
    for key in keys:
        if isinstance(item, dict):
            if not isinstance(key, str):
                raise TemplateError(f"value has type {go_type(key)}; should be string")
            item = item.get(key)
        elif isinstance(item, list | str):
            if not isinstance(key, int) or isinstance(key, bool):
                raise TemplateError(f"cannot index slice/array with type {go_type(key)}")
            if not 0 <= key < len(item):
                raise TemplateError(f"index out of range: {key}")
            item = item[key] if isinstance(item, list) else item.encode()[key]
        elif item is None:
            raise TemplateError("index of nil pointer")
        else:
            raise TemplateError(f"can't index item of type {go_type(item)}")
    return item


def _slice(item: Any, *bounds: Any) -> Any:
    if not isinstance(item, str | list):
        raise TemplateError(f"can't slice item of type {go_type(item)}")
    if len(bounds) > 2:
        raise TemplateError(f"too many slice indexes: {len(bounds)}")
    start = bounds[0] if bounds else 0
    end = bounds[1] if len(bounds) > 1 else len(item)
    if not 0 <= start <= end <= len(item):
        raise TemplateError(f"slice index out of range: {end if end > len(item) else start}")
    return item[start:end]


def _exists(item: Any, *keys: Any) -> bool:
    """pkg/printers/jsonpath.go exists: can every index be followed?"""
    for key in keys:
        if item is None or item is MISSING:
            return False
        if isinstance(item, list | str) and isinstance(key, int) and not isinstance(key, bool):
            if not 0 <= key < len(item):
                return False
            item = item[key]
        elif isinstance(item, dict) and isinstance(key, str):
            item = item.get(key)
        else:
            return False
    return item is not None and item is not MISSING


def _base64decode(value: Any) -> str:
    """template.go base64decode."""
    _want_string(value)
    try:
        return base64.b64decode(value.encode(), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        bad = next((i for i, c in enumerate(value) if not (c.isalnum() or c in "+/=")), _base64_error_at(value))
        raise TemplateError(f"base64 decode failed: illegal base64 data at input byte {bad}") from None


def _base64_error_at(value: str) -> int:
    """Where Go's decoder gives up on text of valid letters: the first incomplete quantum or stray padding."""
    pad = value.find("=")
    if pad != -1:
        return pad if pad % 4 < 2 else (len(value) if len(value) % 4 else pad)
    return len(value) - len(value) % 4


def _want_string(value: Any) -> None:
    if value is MISSING:
        raise TemplateError("invalid value; expected string")
    if not isinstance(value, str):
        raise TemplateError(f"wrong type for value; expected string; got {go_type(value)}")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    return "other"


def _eq(first: Any, *others: Any) -> bool:
    """funcs.go eq: basic kinds only; an int literal and a float64 field are incompatible."""
    if not others:
        raise TemplateError("missing argument for comparison")
    for other in others:
        a, b = _kind(first), _kind(other)
        if first is None or other is None or first is MISSING or other is MISSING:
            if first in (None, MISSING) and other in (None, MISSING):
                return True
            if "other" not in (a, b):
                return False
            raise TemplateError("incompatible types for comparison")
        if a == "other" or b == "other":
            raise TemplateError("invalid type for comparison")
        if a != b:
            raise TemplateError("incompatible types for comparison")
        if first == other:
            return True
    return False


def _lt(a: Any, b: Any) -> bool:
    ka, kb = _kind(a), _kind(b)
    if ka in ("other", "bool") or kb in ("other", "bool"):
        raise TemplateError("invalid type for comparison")
    if ka != kb:
        raise TemplateError("incompatible types for comparison")
    return bool(a < b)


def _js(value: Any) -> str:
    text = _sprint_many([value])
    for old, new in (("\\", "\\\\"), ("'", "\\'"), ('"', "\\\""), ("<", "\\u003C"), (">", "\\u003E"),
                     ("&", "\\u0026"), ("=", "\\u003D"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        text = text.replace(old, new)
    return text


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "not": lambda value: not truth(value),
    "len": _length,
    "index": _index,
    "slice": _slice,
    "print": lambda *values: _sprint_many(list(values)),
    "printf": lambda fmt, *values: go_sprintf(fmt, *values),
    "println": lambda *values: " ".join(sprint(v) for v in values) + "\n",
    "eq": _eq,
    "ne": lambda a, b: not _eq(a, b),
    "lt": _lt,
    "le": lambda a, b: _lt(a, b) or _eq(a, b),
    "gt": lambda a, b: not (_lt(a, b) or _eq(a, b)),
    "ge": lambda a, b: not _lt(a, b),
    "html": lambda *values: html.escape(_sprint_many(list(values))).replace("&#x27;", "&#39;"),
    "js": lambda *values: _js(_sprint_many(list(values))),
    "urlquery": lambda *values: urllib.parse.quote_plus(_sprint_many(list(values))),
    "exists": _exists,
    "base64decode": _base64decode,
}
_ARITY = {"not": (1, 1), "len": (1, 1), "index": (1, None), "slice": (1, None), "printf": (1, None),
          "eq": (1, None), "ne": (2, 2), "lt": (2, 2), "le": (2, 2), "gt": (2, 2), "ge": (2, 2),
          "exists": (1, None), "base64decode": (1, 1), "and": (1, None), "or": (1, None), "call": (1, None)}


# --- execution ---------------------------------------------------------------------------------------------------

class _Exec:
    """exec.go's state: the output, the variable stack, and the node being executed (for error context)."""

    def __init__(self, text: str, missing_error: bool):
        self.text = text
        self.missing_error = missing_error
        self.out: list[str] = []
        self.vars: list[tuple[str, Any]] = []

    def error(self, node: Node, context: str, message: str) -> TemplateError:
        pos = node.pos
        before = self.text[:pos]
        newline = before.rfind("\n")
        column = pos if newline == -1 else pos - (newline + 1)
        return TemplateError(f'template: {NAME}:{_line(self.text, pos)}:{column}: executing "{NAME}" at '
                             f"<{context}>: {message}")

    def run(self, nodes: list[Node], dot: Any) -> None:
        for node in nodes:
            if isinstance(node, Text):
                self.out.append(node.text)
            elif isinstance(node, Action):
                value = self.pipeline(node.pipe, dot)
                if not node.pipe.decl:  # a declaration prints nothing; its variable lives to the block's end
                    self.out.append(sprint(value))
            elif isinstance(node, Branch):
                self.branch(node, dot)
            elif isinstance(node, Jump):
                raise _Break() if node.keyword == "break" else _Continue()

    def branch(self, node: Branch, dot: Any) -> None:
        mark = len(self.vars)
        try:
            if node.keyword == "range":
                self.range(node, dot)
                return
            value = self.pipeline(node.pipe, dot)
            if truth(value):
                self.run(node.body, value if node.keyword == "with" else dot)
            elif node.other is not None:
                self.run(node.other, dot)
        finally:
            del self.vars[mark:]

    def range(self, node: Branch, dot: Any) -> None:
        value = self.pipeline(node.pipe, dot, declare=False)
        if isinstance(value, dict):
            items: list[tuple[Any, Any]] = [(k, value[k]) for k in sorted(value)]
        elif isinstance(value, list):
            items = list(enumerate(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            items = [(i, i) for i in range(value)]
        elif value is None or value is MISSING:
            items = []
        else:
            raise self.error(node.pipe, str(node.pipe), f"range can't iterate over {sprint(value)}")
        if not items and node.other is not None:
            self.run(node.other, dot)
            return
        mark = len(self.vars)
        for key, element in items:
            if len(node.pipe.decl) == 1:
                self.vars.append((node.pipe.decl[0], element))
            elif len(node.pipe.decl) == 2:
                self.vars += [(node.pipe.decl[0], key), (node.pipe.decl[1], element)]
            try:
                self.run(node.body, element)
            except _Break:
                break
            except _Continue:
                continue
            finally:
                del self.vars[mark:]

    def pipeline(self, pipe: Pipeline, dot: Any, *, declare: bool = True) -> Any:
        value: Any = MISSING
        first = True
        for command in pipe.commands:
            value = self.command(command, dot, None if first else value, piped=not first)
            first = False
        if pipe.decl and declare:
            if pipe.assign:
                for name in pipe.decl:
                    self.set_var(name, value)
            else:
                self.vars += [(name, value) for name in pipe.decl]
        return value

    def set_var(self, name: str, value: Any) -> None:
        for i in range(len(self.vars) - 1, -1, -1):
            if self.vars[i][0] == name:
                self.vars[i] = (name, value)
                return

    def var(self, name: str) -> Any:
        for key, value in reversed(self.vars):
            if key == name:
                return value
        return MISSING

    def command(self, command: Command, dot: Any, final: Any, *, piped: bool) -> Any:
        head = command.args[0]
        if head.kind == "ident":
            args = command.args[1:]
            return self.call(head, args, dot, final, piped)
        if len(command.args) > 1 or piped:
            if head.kind in ("field", "var") and head.fields:
                raise self.error(head, str(head), f"{head.fields[-1]} is not a method but has arguments"
                                 if head.kind == "field" else f"can't give argument to non-function {head}")
            raise self.error(head, str(head), f"can't give argument to non-function {head}")
        return self.arg(head, dot)

    def call(self, head: Arg, args: list[Arg], dot: Any, final: Any, piped: bool) -> Any:
        name = head.value
        count = len(args) + (1 if piped else 0)
        low, high = _ARITY.get(name, (0, None))
        if count < low or (high is not None and count > high):
            want = f"at least {low}" if high is None else str(low)
            raise self.error(head, name, f"wrong number of args for {name}: want {want} got {count}")
        if name in ("and", "or"):
            value: Any = MISSING
            for arg in args:
                value = self.arg(arg, dot)
                if truth(value) == (name == "or"):
                    return value
            return final if piped else value
        if name == "call":
            raise self.error(head, name, "error calling call: non-function of type interface {}")
        values = [self.arg(a, dot) for a in args] + ([final] if piped else [])
        if name in ("printf",) and not isinstance(values[0], str):
            raise self.error(args[0] if args else head, str(args[0]) if args else name,
                             f"wrong type for value; expected string; got {go_type(values[0])}")
        if name == "base64decode":
            try:
                _want_string(values[0])
            except TemplateError as exc:
                raise self.error(args[0] if args else head, str(args[0]) if args else name, str(exc)) from None
        try:
            return FUNCTIONS[name](*values)
        except TemplateError as exc:
            raise self.error(head, name, f"error calling {name}: {exc}") from None

    def arg(self, arg: Arg, dot: Any) -> Any:
        if arg.kind == "dot":
            return dot
        if arg.kind in ("string", "number", "bool"):
            return arg.value
        if arg.kind == "nil":
            raise self.error(arg, "nil", "nil is not a command")
        if arg.kind == "field":
            return self.fields(arg, dot, arg.fields)
        if arg.kind == "var":
            return self.fields(arg, self.var(arg.value), arg.fields)
        if arg.kind == "pipe":
            return self.fields(arg, self.pipeline(arg.value, dot), arg.fields)
        raise self.error(arg, str(arg), f"can't evaluate {arg}")  # pragma: no cover - parser rejects others

    def fields(self, arg: Arg, receiver: Any, names: tuple[str, ...]) -> Any:
        for name in names:
            if receiver is MISSING:
                if self.missing_error:
                    raise self.error(arg, str(arg), f'nil data; no entry for key "{name}"')
                return MISSING
            if receiver is None:
                raise self.error(arg, str(arg), f"nil pointer evaluating interface {{}}.{name}")
            if isinstance(receiver, dict):
                if name in receiver:
                    receiver = receiver[name]
                elif self.missing_error:
                    raise self.error(arg, str(arg), f'map has no entry for key "{name}"')
                else:
                    receiver = MISSING
            else:
                raise self.error(arg, str(arg), f"can't evaluate field {name} in type {go_type(receiver)}")
        return receiver


@dataclass
class GoTemplate:
    """A parsed template: `GoTemplate(text).execute(obj)`."""

    text: str
    allow_missing_keys: bool = True
    nodes: list[Node] = field(init=False)

    def __post_init__(self) -> None:
        self.nodes = Parser(self.text).parse()

    def execute(self, data: Any) -> str:
        """The template run over `data` (converted as json.Unmarshal would); raises TemplateError with the
        output written so far in `partial`."""
        state = _Exec(self.text, not self.allow_missing_keys)
        state.vars.append(("$", from_json(data)))
        try:
            state.run(self.nodes, from_json(data))
        except TemplateError as exc:
            exc.partial = "".join(state.out)  # type: ignore[attr-defined]
            raise
        except RecursionError:
            error = TemplateError("exceeded maximum template depth (100000)")
            error.partial = "".join(state.out)  # type: ignore[attr-defined]
            raise error from None
        return "".join(state.out)


__all__ = ["MISSING", "GoTemplate", "TemplateError", "from_json", "go_sprintf", "sprint"]
