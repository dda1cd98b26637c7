"""Resource quantities (`500m`, `1Gi`, `1e3`): exact parsing, canonical printing, arithmetic.

Called by validation (resource requests and limits, PVC sizes), by defaulting (requests rounded up
to milli precision), by the scheduler and kubelet (summing requests against allocatable), by the
simulated apiserver when it stores and echoes objects (quantities come back in canonical form) and by
the kubectl layer (`describe node`'s `250m (12%)`).

A translation of k8s.io/apimachinery v0.33 pkg/api/resource (quantity.go, amount.go, suffix.go):
never a float inside, values rounded up to nano precision, the suffix family kept (binary SI,
decimal SI, decimal exponent), and a string that is already canonical reprinted as written.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

DECIMAL_EXPONENT = "DecimalExponent"  # 12e6
BINARY_SI = "BinarySI"  # 12Mi
DECIMAL_SI = "DecimalSI"  # 12M

_SPLIT_RE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT_WRONG = f"quantities must match the regular expression '{_SPLIT_RE}'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

_DIGITS = "0123456789"
_SUFFIX_CHARS = "eEinumkKMGTP"
_MAX_INT64 = 2**63 - 1
_NANO = -9
_MAX_INT64_FACTORS = 18

_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_SUFFIX_OF = {e: s for s, e in _DECIMAL_SUFFIXES.items()}
_BINARY_SUFFIX_OF = {e: s for s, e in _BINARY_SUFFIXES.items()}


class QuantityError(ValueError):
    """A quantity Kubernetes cannot parse; the message is Go's (ErrFormatWrong, ErrNumeric, ErrSuffix)."""


# --- exact decimal helpers --------------------------------------------------------------------------------


def _remove_factors(value: int, base: int) -> tuple[int, int]:
    """removeInt64Factors / removeBigIntFactors: divide |value| by `base` while it divides evenly."""
    sign = -1 if value < 0 else 1
    value, times = abs(value), 0
    while value >= base and value % base == 0:
        value //= base
        times += 1
    return sign * value, times


def _round_away(unscaled: int, scale: int, target: int) -> tuple[int, bool]:
    """Round `unscaled × 10^scale` to a multiple of 10^target, away from zero (inf.RoundUp).

    Returns the new unscaled value at `target` and whether it was exact."""
    if scale >= target:
        return unscaled * 10 ** (scale - target), True
    divisor = 10 ** (target - scale)
    quotient, remainder = divmod(abs(unscaled), divisor)
    if remainder:
        quotient += 1
    return (-quotient if unscaled < 0 else quotient), remainder == 0


def _align(a: Quantity, b: Quantity) -> tuple[int, int, int]:
    """Both unscaled values at their common (smaller) scale."""
    scale = min(a.scale, b.scale)
    return a.unscaled * 10 ** (a.scale - scale), b.unscaled * 10 ** (b.scale - scale), scale


# --- the quantity -------------------------------------------------------------------------------------------


@functools.total_ordering
@dataclass(frozen=True, eq=False)
class Quantity:
    """An exact quantity `unscaled × 10^scale` with the format it was written in.

    `text` is Go's cached string: set when the input was already canonical, so that it is printed
    back exactly as written (`+1`, `01` and `1.` included, as the apiserver does)."""

    unscaled: int
    scale: int
    format: str = DECIMAL_SI
    text: str = ""

    # -- reading the value --

    @property
    def value(self) -> Decimal:
        """The exact value as a Decimal (built without any rounding context)."""
        sign = 1 if self.unscaled < 0 else 0
        return Decimal((sign, tuple(int(d) for d in str(abs(self.unscaled))), self.scale))

    def as_fraction(self) -> Fraction:
        return Fraction(self.unscaled) * Fraction(10) ** self.scale

    def scaled_value(self, scale: int) -> int:
        """ScaledValue: the value in units of 10^scale, rounded up (away from zero)."""
        return _round_away(self.unscaled, self.scale, scale)[0]

    def int_value(self) -> int:
        """Value(): the value rounded up to an integer (`1500m` → 2)."""
        return self.scaled_value(0)

    def milli_value(self) -> int:
        """MilliValue(): the value in thousandths, rounded up (`0.5` → 500, `1n` → 1)."""
        return self.scaled_value(-3)

    def as_approximate_float(self) -> float:
        """AsApproximateFloat64."""
        try:
            return float(self.as_fraction())
        except OverflowError:
            return math.copysign(math.inf, self.unscaled)

    @property
    def is_zero(self) -> bool:
        return self.unscaled == 0

    @property
    def sign(self) -> int:
        return (self.unscaled > 0) - (self.unscaled < 0)

    # -- comparing --

    def cmp(self, other: Quantity | str | int | float) -> int:
        """Cmp: -1, 0 or 1."""
        a, b, _ = _align(self, parse_quantity(other))
        return (a > b) - (a < b)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (Quantity, str, int, float)) or isinstance(other, bool):
            return NotImplemented
        try:
            return self.cmp(other) == 0
        except QuantityError:
            return False

    def __lt__(self, other: Quantity | str | int | float) -> bool:
        return self.cmp(other) < 0

    def __hash__(self) -> int:
        unscaled, times = _remove_factors(self.unscaled, 10)
        return hash((unscaled, self.scale + times if unscaled else 0))

    # -- arithmetic (Add/Sub keep the receiver's format, or take the other's when the receiver is zero) --

    def __add__(self, other: Quantity | str | int | float) -> Quantity:
        y = parse_quantity(other)
        a, b, scale = _align(self, y)
        return Quantity(a + b, scale, y.format if self.is_zero else self.format)

    def __radd__(self, other: Any) -> Quantity:
        if other == 0 and not isinstance(other, Quantity):  # sum() starts from 0: Go's zero Quantity
            return Quantity(self.unscaled, self.scale, self.format)
        return parse_quantity(other) + self

    def __sub__(self, other: Quantity | str | int | float) -> Quantity:
        y = parse_quantity(other)
        a, b, scale = _align(self, y)
        return Quantity(a - b, scale, y.format if self.is_zero else self.format)

    def __neg__(self) -> Quantity:
        return Quantity(-self.unscaled, self.scale, self.format)

    def round_up(self, scale: int) -> Quantity:
        """RoundUp: at most `scale` precision, rounding away from zero (defaulting rounds requests
        and limits to milli precision: `0.1m` becomes `1m`). A canonical string survives when no
        rounding was needed."""
        if self.scale >= scale:
            return self
        unscaled, _ = _round_away(self.unscaled, self.scale, scale)
        return Quantity(unscaled, scale, self.format)

    # -- printing --

    def __str__(self) -> str:
        """String(): the canonical form (`500m`, `1Gi`, `1536Mi`, `1e3`, `0`)."""
        return self.text or _canonical(self)

    def __repr__(self) -> str:
        return f"Quantity({str(self)!r})"

    def to_json(self) -> str:
        """MarshalJSON's string: what the apiserver returns for this quantity."""
        return str(self)


ZERO = Quantity(0, 0, DECIMAL_SI)


def _canonical(q: Quantity) -> str:
    """CanonicalizeBytes: the largest exponent (a multiple of 3, or a power of 1024) losing nothing."""
    if q.is_zero:
        return "0"
    fmt = q.format
    if fmt == BINARY_SI:
        exact_integer = _round_away(q.unscaled, q.scale, 0)[1]
        if -1024 < q.as_fraction() < 1024 or not exact_integer:
            fmt = DECIMAL_SI
    elif fmt not in (DECIMAL_SI, DECIMAL_EXPONENT):
        fmt = DECIMAL_EXPONENT
    if fmt == BINARY_SI:
        number, times = _remove_factors(q.scaled_value(0), 1024)
        return f"{number}{_BINARY_SUFFIX_OF.get(times * 10, '')}"
    number, exponent = _remove_factors(q.unscaled, 10)
    exponent += q.scale
    while exponent % 3:
        number *= 10
        exponent -= 1
    if fmt == DECIMAL_SI:
        # Go has no suffix beyond E (10^18): a larger DecimalSI value prints its mantissa alone.
        return f"{number}{_DECIMAL_SUFFIX_OF.get(exponent, '')}"
    return f"{number}e{exponent}" if exponent else str(number)


# --- parsing (quantity.go) --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scanned:
    positive: bool
    value: str  # the signed number as written, without the suffix
    num: str  # integer digits, leading zeros stripped ("0" when none)
    denom: str  # fraction digits
    suffix: str


def _scan_digits(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _DIGITS:
        pos += 1
    return pos


def _scan(text: str) -> _Scanned:
    """parseQuantityString: split sign, integer digits, fraction digits and suffix."""
    end = len(text)
    positive = not text.startswith("-")
    pos = 1 if text[:1] in ("-", "+") else 0
    while pos < end and text[pos] == "0":
        pos += 1
    if pos >= end:
        return _Scanned(positive, "0", "0", "", "")
    num_end = _scan_digits(text, pos)
    num = text[pos:num_end] or "0"
    if num_end >= end:
        return _Scanned(positive, text, num, "", "")
    pos, denom = num_end, ""
    if text[pos] == ".":
        denom_end = _scan_digits(text, pos + 1)
        denom = text[pos + 1:denom_end]
        if denom_end >= end:
            return _Scanned(positive, text, num, denom, "")
        pos = denom_end
    value, suffix_start = text[:pos], pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and text[pos] in "-+":
        pos += 1
    if _scan_digits(text, pos) < end:
        raise QuantityError(ERR_FORMAT_WRONG)
    return _Scanned(positive, value, num, denom, text[suffix_start:])


def _interpret(suffix: str) -> tuple[int, int, str]:
    """quantitySuffixer.interpret: (base, exponent, format) of a suffix."""
    if suffix in _DECIMAL_SUFFIXES:
        return 10, _DECIMAL_SUFFIXES[suffix], DECIMAL_SI
    if suffix in _BINARY_SUFFIXES:
        return 2, _BINARY_SUFFIXES[suffix], BINARY_SI
    if len(suffix) > 1 and suffix[0] in "eE":
        exponent = _go_parse_int64(suffix[1:])
        if exponent is not None:
            return 10, (exponent + 2**31) % 2**32 - 2**31, DECIMAL_EXPONENT  # Go keeps an int32
    raise QuantityError(ERR_SUFFIX)


def _go_parse_int64(text: str) -> int | None:
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body or any(c not in _DIGITS for c in body):
        return None
    value = int(text)
    return value if -(2**63) <= value <= _MAX_INT64 else None


def _fast_path(text: str, s: _Scanned, exponent: int, fmt: str) -> Quantity | None:
    """The int64 path of ParseQuantity: exact small values, keeping `text` when already canonical."""
    if fmt == BINARY_SI:
        if exponent < 0 or s.denom:
            return None
        scale, mantissa = 0, 1 << exponent
        precision = 15 - len(s.num) - exponent * 3 // 10 - 1
    else:
        scale, mantissa = exponent, 1
        precision = _MAX_INT64_FACTORS - len(s.num) - len(s.denom)
    scale -= len(s.denom)
    if precision < 0 or scale < _NANO:
        return None
    shifted = s.num + s.denom
    value = _go_parse_int64(shifted)
    if value is None:
        raise QuantityError(ERR_NUMERIC)
    result = value * mantissa
    if result > _MAX_INT64:
        return None
    if not s.positive:
        result = -result
    if fmt == BINARY_SI:
        canonical = exponent % 10 == 0 and value & 0x07 != 0
    else:
        canonical = scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0"
    return Quantity(result, scale, fmt, text if canonical else "")


def _parse_decimal(value: str) -> tuple[int, int]:
    """inf.Dec.SetString on the number part: (unscaled, scale as a power of ten)."""
    body = value.lstrip("+-")
    integer, _, fraction = body.partition(".")
    if not (integer + fraction):
        raise QuantityError(ERR_NUMERIC)
    unscaled = int(integer + fraction)
    return (-unscaled if value.startswith("-") else unscaled), -len(fraction)


def _slow_path(s: _Scanned, base: int, exponent: int, fmt: str) -> Quantity:
    """The inf.Dec path: any size, rounded up to nano precision; binary values capped at 2^63-1."""
    unscaled, scale = _parse_decimal(s.value)
    if base == 10:
        scale += exponent
    else:
        unscaled <<= exponent
    negative, unscaled = unscaled < 0, abs(unscaled)
    if unscaled and scale < _NANO:
        unscaled, _ = _round_away(unscaled, scale, _NANO)
        scale = _NANO
    if fmt == BINARY_SI:
        if unscaled * Fraction(10) ** scale > _MAX_INT64:
            unscaled, scale = _MAX_INT64, 0
        if 0 < unscaled * Fraction(10) ** scale < 1:
            fmt = DECIMAL_SI  # "This avoids rounding and hopefully confusion, too."
    return Quantity(-unscaled if negative else unscaled, scale, fmt)


def _go_json_number(value: int | float) -> str:
    """How a YAML/JSON number reaches ParseQuantity: Go's encoding/json text of the number."""
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return repr(value)
    digits = Decimal(repr(value))
    magnitude = abs(value)
    if magnitude == 0 or 1e-6 <= magnitude < 1e21:
        return format(digits.normalize(), "f")
    mantissa, _, exp = f"{digits.normalize():E}".partition("E")
    return f"{mantissa.lower()}e{int(exp):+03d}".replace("e+0", "e+").replace("e-0", "e-")


def parse_quantity(text: str | int | float | Quantity) -> Quantity:
    """ParseQuantity (after UnmarshalJSON's trimming of surrounding blanks): `500m`, `1Gi`, `1e3`,
    `0.5`, a YAML number. Raises QuantityError with Go's message."""
    if isinstance(text, Quantity):
        return text
    if isinstance(text, bool):
        text = "true" if text else "false"
    elif isinstance(text, (int, float)):
        text = _go_json_number(text)
    elif not isinstance(text, str):
        raise QuantityError(ERR_FORMAT_WRONG)
    text = text.strip()
    if not text:
        raise QuantityError(ERR_FORMAT_WRONG)
    if text == "0":
        return Quantity(0, 0, DECIMAL_SI, "0")
    scanned = _scan(text)
    base, exponent, fmt = _interpret(scanned.suffix)
    return _fast_path(text, scanned, exponent, fmt) or _slow_path(scanned, base, exponent, fmt)


def canonical(text: str | int | float) -> str:
    """The string the apiserver returns for a quantity written as `text` (`0.5` → `500m`)."""
    return str(parse_quantity(text))


def total(quantities: list[Quantity] | tuple[Quantity, ...]) -> Quantity:
    """The sum of quantities as Go's resource helpers add them (starting from a zero Quantity)."""
    result = Quantity(0, 0, "")
    for q in quantities:
        result = result + q
    return result


def percent_of(part: Quantity, whole: Quantity, milli: bool = False) -> int:
    """kubectl describe's `int64(float64(part) / float64(whole) * 100)` (milli values for cpu)."""
    denominator = whole.milli_value() if milli else whole.int_value()
    if denominator == 0:
        return 0
    numerator = part.milli_value() if milli else part.int_value()
    return int(float(numerator) / float(denominator) * 100)


def with_percent(part: Quantity, whole: Quantity, milli: bool = False) -> str:
    """kubectl describe node's `Allocated resources` cell: `250m (12%)`, `128Mi (3%)`."""
    return f"{part} ({percent_of(part, whole, milli)}%)"
