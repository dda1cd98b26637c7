"""Shell arithmetic, `$((...))`, as busybox ash evaluates it (shell/math.c).

Called by the shell's expansion. Integers with C semantics (division truncates toward zero), variables read
as numbers (an unset or empty one is 0; a value that is itself an expression is evaluated), the assignment
operators, `? :`, and math.c's error messages ("divide by zero", "arithmetic syntax error", "exponent less
than 0"), which the shell reports as `sh: <message>`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping

_TOKEN = re.compile(r"\s*(0[xX][0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*=?|<<=|>>=|<<|>>|&&|\|\||"
                    r"[=!<>]=|[-+*/%&|^]=|[-+*/%&|^!~<>()?:=,])")
_BINARY = {  # precedence, as math.c's tok_decl gives them (higher binds tighter)
    ",": 1, "||": 5, "&&": 6, "|": 7, "^": 8, "&": 9, "==": 10, "!=": 10, "<": 11, ">": 11, "<=": 11,
    ">=": 11, "<<": 12, ">>": 12, "+": 13, "-": 13, "*": 14, "/": 14, "%": 14, "**": 15,
}
_ASSIGN = {"=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^="}


class ArithError(Exception):
    """math.c's errmsg: the shell prints `sh: <message>` and the script stops with status 2."""


def _c_div(a: int, b: int) -> int:
    quotient = abs(a) // abs(b)
    return quotient if (a >= 0) == (b >= 0) else -quotient


def _apply(op: str, a: int, b: int) -> int:
    if op in ("/", "%"):
        if b == 0:
            raise ArithError("divide by zero")
        return _c_div(a, b) if op == "/" else a - b * _c_div(a, b)
    if op == "**":
        if b < 0:
            raise ArithError("exponent less than 0")
        return a ** b
    table: dict[str, Callable[[int, int], int]] = {
        "+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y,
        "<<": lambda x, y: x << y, ">>": lambda x, y: x >> y, "&": lambda x, y: x & y,
        "|": lambda x, y: x | y, "^": lambda x, y: x ^ y, "==": lambda x, y: int(x == y),
        "!=": lambda x, y: int(x != y), "<": lambda x, y: int(x < y), ">": lambda x, y: int(x > y),
        "<=": lambda x, y: int(x <= y), ">=": lambda x, y: int(x >= y), ",": lambda x, y: y,
        "&&": lambda x, y: int(bool(x) and bool(y)), "||": lambda x, y: int(bool(x) or bool(y)),
    }
    return _wrap(table[op](a, b))


def _wrap(value: int) -> int:
    """arith_t is a signed 64-bit integer."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >> 63 else value


class _Parser:
    def __init__(self, text: str, env: MutableMapping[str, str], depth: int):
        self.tokens = self._tokenize(text)
        self.pos = 0
        self.env = env
        self.depth = depth

    @staticmethod
    def _tokenize(text: str) -> list[str]:
        tokens, i = [], 0
        while i < len(text):
            m = _TOKEN.match(text, i)
            if m is None:
                if text[i:].strip():
                    raise ArithError("arithmetic syntax error")
                break
            tokens.append(m.group(1))
            i = m.end()
        return tokens

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise ArithError("arithmetic syntax error")
        self.pos += 1
        return tok

    def value(self, name: str) -> int:
        text = self.env.get(name, "")
        if not text.strip():
            return 0
        if self.depth > 20:
            raise ArithError("expression recursion loop detected")
        return evaluate(text, self.env, self.depth + 1)

    def expression(self, min_prec: int = 1) -> int:
        left = self.ternary() if min_prec <= 4 else self.unary()
        while True:
            op = self.peek()
            prec = _BINARY.get(op or "")
            if prec is None or prec < min_prec:
                return left
            self.take()
            right = self.expression(prec if op == "**" else prec + 1)
            left = _apply(op or "", left, right)

    def ternary(self) -> int:
        start = self.pos
        tok = self.peek()
        if tok and re.fullmatch(r"[A-Za-z_]\w*", tok) and self.pos + 1 < len(self.tokens) \
                and self.tokens[self.pos + 1] in _ASSIGN:
            self.pos += 2
            op = self.tokens[start + 1]
            right = self.ternary()
            result = right if op == "=" else _apply(op[:-1], self.value(tok), right)
            self.env[tok] = str(result)
            return result
        cond = self.expression(5)
        if self.peek() != "?":
            return cond
        self.take()
        yes = self.expression(1)
        if self.take() != ":":
            raise ArithError("malformed ?: operator")
        no = self.ternary()
        return yes if cond else no

    def unary(self) -> int:
        tok = self.take()
        if tok == "-":
            return _wrap(-self.unary())
        if tok == "+":
            return self.unary()
        if tok == "!":
            return int(not self.unary())
        if tok == "~":
            return _wrap(~self.unary())
        if tok == "(":
            inner = self.expression(1)
            if self.take() != ")":
                raise ArithError("arithmetic syntax error")
            return inner
        if tok[0].isdigit():
            try:
                return _wrap(int(tok, 16) if tok[:2].lower() == "0x" else int(tok, 8) if len(tok) > 1
                             and tok[0] == "0" else int(tok))
            except ValueError:
                raise ArithError("arithmetic syntax error") from None
        if re.fullmatch(r"[A-Za-z_]\w*", tok):
            return self.value(tok)
        raise ArithError("arithmetic syntax error")


def evaluate(text: str, env: MutableMapping[str, str], depth: int = 0) -> int:
    """The value of the arithmetic expression `text` (empty: 0); assignments write to `env`."""
    parser = _Parser(text, env, depth)
    if not parser.tokens:
        return 0
    result = parser.expression(1)
    if parser.peek() is not None:
        raise ArithError("arithmetic syntax error")
    return result
