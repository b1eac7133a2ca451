"""The identifier validators: what a person typing a code reads, in both languages, and that no
code, however malformed, gets past them or turns into a server error."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from trainees.validators import credit_code_check_character, validate_credit_code, validate_customs_code

# Codes of real, publicly registered enterprises: an oracle independent of the implementation.
REAL_CREDIT_CODES = ["914403001922038216", "9144030071526726XG", "91110000802100433B", "91310000MA1FL1NL5Y"]


def refusal(validator, value):
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    error = excinfo.value
    with translation.override("en"):
        en = error.messages
    with translation.override("zh-hans"):
        zh = error.messages
    return error.code, error.params, en, zh


@pytest.mark.parametrize("code", REAL_CREDIT_CODES)
def test_real_credit_codes_are_accepted(code):
    validate_credit_code(code)
    validate_credit_code(f"  {code.lower()} ")  # typed in lower case, with spaces around
    assert credit_code_check_character(code[:17]) == code[17]


def test_a_check_character_of_zero():
    # 31 - 0 % 31 = 31 must wrap to the first character of the alphabet.
    assert credit_code_check_character("91350100M000100Y3") == "0"
    validate_credit_code("91350100M000100Y30")


@pytest.mark.parametrize(("value", "n"), [("", 0), (None, 0), ("91440300192203821", 17), ("9144030019220382160", 19)])
def test_a_credit_code_of_the_wrong_length(value, n):
    assert refusal(validate_credit_code, value) == (
        "length",
        {"n": n},
        [f"A unified social credit code has 18 characters; this one has {n}."],
        [f"统一社会信用代码为 18 位，此代码为 {n} 位。"],
    )


@pytest.mark.parametrize("char", ["I", "O", "S", "V", "Z", "-"])
@pytest.mark.parametrize("position", [0, 9, 17])
def test_letters_outside_the_alphabet_are_named_not_a_server_error(char, position):
    code = list("914403001922038216")
    code[position] = char
    assert refusal(validate_credit_code, "".join(code)) == (
        "alphabet",
        {"char": char},
        [f"The character “{char}” cannot appear in a unified social credit code."],
        [f"统一社会信用代码中不能出现字符“{char}”。"],
    )


def test_the_first_bad_character_is_named():
    assert refusal(validate_credit_code, "9144030019220382OI")[1] == {"char": "O"}


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("914403001922038217", "6"),  # wrong check character
        ("914403001922038226", None),  # one digit mistyped
        ("914403001922083216", None),  # two digits swapped
    ],
)
def test_a_typing_error_is_caught_by_the_check_character(typo, expected):
    code, params, en, zh = refusal(validate_credit_code, typo)
    expected = expected or credit_code_check_character(typo[:17])
    assert expected != typo[17]
    assert (code, params) == ("check_character", {"expected": expected})
    assert en == [
        f"The check character of this credit code is wrong (expected {expected}): please check for typing errors."
    ]
    assert zh == [f"此信用代码的校验码有误（应为 {expected}），请检查是否输入错误。"]


@pytest.mark.parametrize("value", ["1234567890", "ABCDE12345", " 44019610ab "])
def test_customs_codes_of_ten_letters_or_digits(value):
    validate_customs_code(value)


@pytest.mark.parametrize("value", ["12345", "", None, "12345678901", "12345-6789", "1234 56789"])
def test_customs_codes_refused(value):
    assert refusal(validate_customs_code, value) == (
        "customs_code",
        None,
        ["A customs registration code has 10 letters or digits."],
        ["海关注册编码为 10 位字母或数字。"],
    )


@pytest.mark.parametrize("first", ["9144030019220382", "914403001922038216"])
def test_the_check_character_needs_exactly_17_characters(first):
    with pytest.raises(ValueError):
        credit_code_check_character(first)
