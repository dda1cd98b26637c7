"""Resource quantities: parsing, canonical printing, comparison, arithmetic.

Expected values come from k8s.io/apimachinery v0.33 pkg/api/resource/quantity_test.go
(TestQuantityParse, TestQuantityString, TestQuantityParseEmit, TestQuantityRoundUp, TestParseQuantityString)
and the error texts from pkg/api/resource/quantity.go (ErrFormatWrong, ErrNumeric, ErrSuffix). The
`describe node` percentages follow k8s.io/kubectl pkg/describe/describe.go (describeNodeResource).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from k8scourse.api.quantity import (
    BINARY_SI,
    DECIMAL_EXPONENT,
    DECIMAL_SI,
    ERR_FORMAT_WRONG,
    ERR_NUMERIC,
    ERR_SUFFIX,
    Quantity,
    QuantityError,
    canonical,
    parse_quantity,
    percent_of,
    total,
    with_percent,
)


def test_error_texts_are_gos() -> None:
    assert ERR_FORMAT_WRONG == "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    assert ERR_NUMERIC == "unable to parse numeric part of quantity"
    assert ERR_SUFFIX == "unable to parse quantity's suffix"


@pytest.mark.parametrize(
    ("text", "value", "fmt"),
    [
        ("0", 0, DECIMAL_SI), ("0Ki", 0, BINARY_SI), ("0m", 0, DECIMAL_SI),
        ("1", 1, DECIMAL_SI),
        ("1Ki", 1024, BINARY_SI), ("7Mi", 7 * 2**20, BINARY_SI), ("3Ei", 3 * 2**60, BINARY_SI),
        ("5n", Fraction(5, 10**9), DECIMAL_SI), ("4u", Fraction(4, 10**6), DECIMAL_SI), ("3m", Fraction(3, 1000), DECIMAL_SI),
        ("50k", 50_000, DECIMAL_SI), ("1E", 10**18, DECIMAL_SI), ("12E", 12 * 10**18, DECIMAL_SI),
        ("1E-3", Fraction(1, 1000), DECIMAL_EXPONENT), ("1e3", 1000, DECIMAL_EXPONENT), ("1.3E+6", 1_300_000, DECIMAL_EXPONENT),
        ("100.035k", 100_035, DECIMAL_SI), ("0.0005k", Fraction(1, 2), DECIMAL_SI), ("0.5e-2", Fraction(5, 1000), DECIMAL_EXPONENT),
        # rounding up to nano precision
        ("3.001n", Fraction(4, 10**9), DECIMAL_SI), ("1.1E-9", Fraction(2, 10**9), DECIMAL_EXPONENT),
        ("0.0000000001", Fraction(1, 10**9), DECIMAL_SI), ("0.00000012345", Fraction(124, 10**9), DECIMAL_SI),
        # binary values are capped at 2^63-1
        ("9Ei", 2**63 - 1, BINARY_SI), ("9223372036854775807Ki", 2**63 - 1, BINARY_SI),
        # fractional binary values; below one they become DecimalSI
        ("100.035Ki", Fraction(10243584, 100), BINARY_SI), ("0.5Mi", 2**19, BINARY_SI),
        ("0.000000000001Ki", Fraction(2, 10**9), DECIMAL_SI),
        # written by trolls
        (".001", Fraction(1, 1000), DECIMAL_SI), ("1.", 1, DECIMAL_SI), ("1.G", 10**9, DECIMAL_SI), (".", 0, DECIMAL_SI),
    ],
)
def test_parse_values_and_formats(text: str, value: Fraction | int, fmt: str) -> None:
    q = parse_quantity(text)
    assert q.as_fraction() == value
    assert q.format == fmt
    negative = parse_quantity("-" + text)
    assert negative.as_fraction() == -value
    assert parse_quantity("+" + text).as_fraction() == value


@pytest.mark.parametrize("text", ["1.1.M", "1+1.0M", "0.1am", "aoeu", " 1x", "1 1", "1e3.5", ""])
def test_format_wrong(text: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    assert str(info.value) == ERR_FORMAT_WRONG


@pytest.mark.parametrize("text", ["0.1mi", ".5i", "1i", "-3.01i", "-3.01e-", "1Gi1", "1e", "1e99999999999999999999"])
def test_bad_suffix(text: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    assert str(info.value) == ERR_SUFFIX


def test_bad_numeric_part() -> None:
    # Only the inf.Dec path can meet a number without digits.
    with pytest.raises(QuantityError) as info:
        parse_quantity("+.e-20")
    assert str(info.value) == ERR_NUMERIC


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        # TestQuantityString alternates and TestQuantityParseEmit
        ("1024Mi", "1Gi"), ("307200Ki", "300Mi"), ("1025024Mi", "1001Gi"), ("1024Gi", "1Ti"),
        ("5000m", "5"), ("0.5", "500m"), ("1000M", "1G"), ("0.001T", "1G"), ("1000u", "1m"),
        ("1.08", "1080m"), ("1080000000n", "1080m"), (".001e12", "1e9"), ("0.001e0", "1e-3"),
        ("1000e-12", "1e-9"), ("00", "0"), (".001Ki", "1024m"), (".000001Ki", "1024u"),
        (".000000001Ki", "1024n"), (".000000000001Ki", "2n"), ("1.5Gi", "1536Mi"), ("0.5Gi", "512Mi"),
        ("1025", "1025"), ("1e4", "10e3"), ("1e100", "10e99"), ("9Ei", "9223372036854775807"),
        ("100.035Ki", "102435840m"), ("-1.5", "-1500m"), ("-1024Mi", "-1Gi"),
        # DecimalSI has no suffix beyond E: Go prints the mantissa alone
        ("1000E", "1"),
    ],
)
def test_canonical_form(text: str, printed: str) -> None:
    assert str(parse_quantity(text)) == printed
    assert canonical(text) == printed


@pytest.mark.parametrize(
    "text", ["1Gi", "300Mi", "6Ki", "5", "500m", "1G", "1m", "80m", "1080m", "3k", "1e9", "1e-3", "80e-3", "300e6",
             "1n", "1080n", "1u", "0", "-1Gi"],
)
def test_canonical_strings_print_back_unchanged(text: str) -> None:
    assert str(parse_quantity(text)) == text


def test_canonical_input_is_kept_as_written() -> None:
    # ParseQuantity caches the input when its digits are already canonical, sign and zeros included.
    assert str(parse_quantity("+1")) == "+1"
    assert str(parse_quantity("01")) == "01"
    assert str(parse_quantity("1.")) == "1."
    assert str(parse_quantity(" 2Gi ")) == "2Gi"  # UnmarshalJSON trims blanks


def test_yaml_numbers() -> None:
    # A YAML number reaches ParseQuantity as Go's JSON text of it.
    assert str(parse_quantity(0.5)) == "500m"
    assert str(parse_quantity(2)) == "2"
    assert str(parse_quantity(1e-7)) == "100e-9"  # "1e-7"
    assert str(parse_quantity(1.5e21)) == "1500e18"  # "1.5e+21"
    assert str(parse_quantity(1073741824)) == "1073741824"
    with pytest.raises(QuantityError):
        parse_quantity(True)


def test_values() -> None:
    assert parse_quantity("1.5").value == Decimal("1.5")
    assert parse_quantity("250m").milli_value() == 250
    assert parse_quantity("1n").milli_value() == 1  # rounded up
    assert parse_quantity("1500m").int_value() == 2
    assert parse_quantity("-1500m").int_value() == -2  # away from zero
    assert parse_quantity("1Gi").int_value() == 2**30
    assert parse_quantity("1e3").value == 1000
    assert parse_quantity("100m").as_approximate_float() == 0.1


def test_compare() -> None:
    assert parse_quantity("1Gi") == parse_quantity("1024Mi") == "1073741824"
    assert parse_quantity("1Gi") > parse_quantity("1G")
    assert parse_quantity("500m") < "1"
    assert parse_quantity("0.5").cmp("500m") == 0
    assert parse_quantity("1") != "not a quantity"
    assert len({parse_quantity("1"), parse_quantity("1000m"), parse_quantity("1e0")}) == 1


def test_add_and_sub_keep_the_receivers_format() -> None:
    assert str(parse_quantity("100m") + parse_quantity("0.25")) == "350m"
    assert str(parse_quantity("1Gi") + "512Mi") == "1536Mi"
    assert str(parse_quantity("1Gi") - "1Gi") == "0"
    # a zero receiver takes the other's format (TestQuantityAddZeroPreservesSuffix)
    assert (parse_quantity("0") + parse_quantity("1Mi")).format == BINARY_SI
    assert str(sum([parse_quantity("128Mi"), parse_quantity("128Mi")])) == "256Mi"
    assert str(total([parse_quantity("250m"), parse_quantity("250m")])) == "500m"
    assert str(total([])) == "0"
    assert str(-parse_quantity("1Ki")) == "-1Ki"


@pytest.mark.parametrize(
    ("text", "scale", "expected"),
    [("9.01", -3, "9010m"), ("9.01", -2, "9010m"), ("9.01", -1, "9100m"), ("9.01", 0, "10"), ("9.01", 2, "100"),
     ("-9.01", -1, "-9100m"), ("-9.01", 0, "-10"), ("0.1m", -3, "1m")],
)
def test_round_up(text: str, scale: int, expected: str) -> None:
    assert str(parse_quantity(text).round_up(scale)) == expected


def test_round_up_keeps_a_canonical_string_when_exact() -> None:
    q = parse_quantity("+1")
    assert str(q.round_up(-3)) == "+1"


def test_describe_percentages() -> None:
    # describeNodeResource: `%s (%d%%)` with int64(float64(req)/float64(allocatable)*100)
    allocatable_cpu = parse_quantity("2")
    assert with_percent(parse_quantity("250m"), allocatable_cpu, milli=True) == "250m (12%)"
    assert with_percent(parse_quantity("0"), allocatable_cpu, milli=True) == "0 (0%)"
    assert with_percent(parse_quantity("170Mi"), parse_quantity("3912Mi")) == "170Mi (4%)"
    assert percent_of(parse_quantity("1"), parse_quantity("0")) == 0


def test_quantity_repr() -> None:
    assert repr(Quantity(5, -1)) == "Quantity('500m')"
