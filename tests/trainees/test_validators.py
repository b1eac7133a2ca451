"""The identifier validators: what a person typing a code reads, in both languages, and that no
code, however malformed, gets past them or turns into a server error."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from trainees.validators import (
    credit_code_check_character,
    display_mobile,
    mainland_mobile,
    validate_credit_code,
    validate_customs_code,
)

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


def hidden_refusal(validator, value, language):
    """The refusal of a value with invisible characters, raised and read in `language` (the
    characters are described in the language of the request)."""
    with translation.override(language), pytest.raises(ValidationError) as excinfo:
        validator(value)
    with translation.override(language):
        return excinfo.value.code, excinfo.value.params, excinfo.value.messages


@pytest.mark.parametrize(
    ("validator", "typed", "named_en", "named_zh"),
    [
        (
            validate_credit_code,
            "914403001922038216\u200b",
            "U+200B ZERO WIDTH SPACE at position 19",
            "第 19 位的 U+200B ZERO WIDTH SPACE",
        ),
        (
            validate_credit_code,
            "\ufeff914403001922038216",
            "U+FEFF ZERO WIDTH NO-BREAK SPACE at position 1",
            "第 1 位的 U+FEFF ZERO WIDTH NO-BREAK SPACE",
        ),
        (
            validate_customs_code,
            "44019\u200d610AB",
            "U+200D ZERO WIDTH JOINER at position 6",
            "第 6 位的 U+200D ZERO WIDTH JOINER",
        ),
        (
            mainland_mobile,
            "138\u200b00138000",
            "U+200B ZERO WIDTH SPACE at position 4",
            "第 4 位的 U+200B ZERO WIDTH SPACE",
        ),
    ],
)
def test_invisible_characters_in_a_code_are_named_not_counted(validator, typed, named_en, named_zh):
    """A code pasted with a zero-width character is not "19 characters long": the character is
    named, with its position, in both languages."""
    assert hidden_refusal(validator, typed, "en") == (
        "hidden_characters",
        {"chars": named_en},
        [f"The code contains invisible characters ({named_en}): delete them and type it again."],
    )
    assert hidden_refusal(validator, typed, "zh-hans") == (
        "hidden_characters",
        {"chars": named_zh},
        [f"代码中含有不可见字符（{named_zh}）：请删除后重新输入。"],
    )


def test_every_invisible_character_is_named():
    code, params, _messages = hidden_refusal(validate_customs_code, "\u200b44019610AB\u200b", "en")
    assert (code, params) == (
        "hidden_characters",
        {"chars": "U+200B ZERO WIDTH SPACE at position 1; U+200B ZERO WIDTH SPACE at position 12"},
    )


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        " 13800138000 ",
        "+86 138 0013 8000",
        "+8613800138000",
        "0086 138 0013 8000",
        "008613800138000",
        "１３８００１３８０００",  # full-width digits from a Chinese input method
    ],
)
def test_a_mainland_mobile_number_as_people_type_it(typed):
    assert mainland_mobile(typed) == "+8613800138000"


@pytest.mark.parametrize(
    "typed",
    [
        "0512-66668888",  # Suzhou landline
        "010 6552 9988",  # Beijing landline
        "+852 9123 4567",  # Hong Kong mobile
        "+853 6612 3456",  # Macao mobile
        "+886 912 345 678",  # Taiwan mobile
        "+1 415 555 2671",
        "0044 7911 123456",
        "1380013800",
        "138001380001",
        "12345",
        "abc",
        "",
        None,
    ],
)
def test_anything_else_is_refused_with_one_message(typed):
    assert refusal(mainland_mobile, typed) == (
        "phone",
        None,
        ["Enter a mainland China mobile number, e.g. 138 0013 8000."],
        ["请输入中国大陆手机号码，例如 138 0013 8000。"],
    )


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+8613800138000", "138 0013 8000"),
        ("+8619912345678", "199 1234 5678"),
        ("+85291234567", "+85291234567"),  # not a mainland number: shown as stored
        ("+861380013800", "+861380013800"),
        ("", ""),
    ],
)
def test_a_mobile_number_is_shown_in_groups_of_3_4_4(e164, shown):
    assert display_mobile(e164) == shown
