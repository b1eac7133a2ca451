"""The pure rules of consultations (table-driven)."""

import datetime as dt

import pytest
from django.utils import translation

from consultations import rules
from consultations.rules import ANSWERED, CLOSED, OPEN, ConsultationState, Finding

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def state(status=OPEN, answered=False, rated=False, published=False, at_gacc=False):
    return ConsultationState(status=status, answered=answered, rated=rated, published=published, at_gacc=at_gacc)


@pytest.mark.parametrize(
    ("step", "given", "allowed"),
    [
        (rules.REPLY, state(), True),
        (rules.REPLY, state(ANSWERED, answered=True), True),
        (rules.REPLY, state(CLOSED, answered=True), False),
        (rules.FOLLOW_UP, state(ANSWERED, answered=True), True),
        (rules.FOLLOW_UP, state(CLOSED), False),
        (rules.HAND_OVER, state(), True),
        (rules.HAND_OVER, state(CLOSED), False),
        (rules.HAND_OVER_GACC, state(), True),
        (rules.HAND_OVER_GACC, state(at_gacc=True), False),
        (rules.HAND_OVER_GACC, state(CLOSED), False),
        (rules.CLOSE, state(), True),
        (rules.CLOSE, state(CLOSED), False),
        (rules.RATE, state(), False),  # nothing to rate before an answer
        (rules.RATE, state(ANSWERED, answered=True), True),
        (rules.RATE, state(CLOSED, answered=True), True),
        (rules.RATE, state(ANSWERED, answered=True, rated=True), False),
        (rules.PUBLISH, state(), False),
        (rules.PUBLISH, state(CLOSED, answered=True), True),
        (rules.PUBLISH, state(ANSWERED, answered=True, published=True), False),
    ],
)
def test_refusal(step, given, allowed):
    message = rules.refusal(step, given)
    assert (message is None) is allowed
    if not allowed:
        assert message


@pytest.mark.parametrize(
    ("step", "status", "expected"),
    [
        (rules.REPLY, OPEN, ANSWERED),
        (rules.FOLLOW_UP, ANSWERED, OPEN),
        (rules.CLOSE, ANSWERED, CLOSED),
        (rules.HAND_OVER, OPEN, OPEN),
        (rules.HAND_OVER_GACC, ANSWERED, ANSWERED),
        (rules.RATE, CLOSED, CLOSED),
    ],
)
def test_next_status(step, status, expected):
    assert rules.next_status(step, status) == expected


@pytest.mark.parametrize(
    ("at_gacc", "coordinator_at_gacc", "allowed"),
    [(False, False, True), (False, True, True), (True, False, False), (True, True, True)],
)
def test_only_gacc_coordinators_act_once_handed_to_gacc(at_gacc, coordinator_at_gacc, allowed):
    assert rules.coordinator_may_act(at_gacc=at_gacc, coordinator_at_gacc=coordinator_at_gacc) is allowed


@pytest.mark.parametrize(
    ("chain", "hours"),
    [([24, 72, None], 24), ([None, 72, 12], 72), ([None, None, 8], 8), ([None, None, None], 48), ([], 48)],
)
def test_target_hours_from_the_nearest_unit_with_a_setting(chain, hours):
    assert rules.target_hours(chain) == hours


def test_due_and_overdue():
    due = rules.due_at(since=NOW, hours=48)
    assert due == NOW + dt.timedelta(hours=48)
    assert not rules.is_overdue(status=OPEN, due=due, now=due)
    assert rules.is_overdue(status=OPEN, due=due, now=due + dt.timedelta(seconds=1))
    assert not rules.is_overdue(status=ANSWERED, due=None, now=due + dt.timedelta(days=9))
    assert not rules.is_overdue(status=CLOSED, due=due, now=due + dt.timedelta(days=9))


@pytest.mark.parametrize(
    ("answered_at", "in_time"),
    [(None, False), (NOW - dt.timedelta(hours=1), True), (NOW, True), (NOW + dt.timedelta(seconds=1), False)],
)
def test_answered_in_time(answered_at, in_time):
    assert rules.answered_in_time(first_answered_at=answered_at, first_due_at=NOW) is in_time


@pytest.mark.parametrize(
    ("in_time", "answered", "late", "rate"),
    [(0, 0, 0, 0.0), (3, 4, 0, 75.0), (3, 4, 2, 50.0), (1, 3, 0, 33.3), (2, 2, 0, 100.0)],
)
def test_in_time_rate(in_time, answered, late, rate):
    assert rules.in_time_rate(in_time=in_time, answered=answered, late_unanswered=late) == rate


def test_masking_removes_names_codes_phones_and_addresses():
    text = (
        "深圳海川电子科技有限公司（深圳海川电子科技）经办人张三，信用代码91440300MA5F00000X，海关编码4403960002，"
        "身份证440301199001011234，手机138 0013 8000，座机0755-12345678，邮箱zhang@haichuan.cn。"
        "请问高级认证的内部控制标准第3项如何理解？依据海关总署公告2026年第34号。"
    )
    masked = rules.mask_personal_data(
        text, enterprise_names=["深圳海川电子科技有限公司", "Shenzhen Haichuan"], person_names=["张三"]
    )
    for secret in ("海川", "张三", "91440300MA5F00000X", "4403960002", "440301199001011234", "138", "12345678", "@"):
        assert secret not in masked, (secret, masked)
    assert "某企业" in masked and "某某" in masked and "***" in masked
    assert "第3项" in masked and "2026年第34号" in masked  # the substance stays
    assert rules.personal_data_found(masked, enterprise_names=["深圳海川电子科技有限公司"], person_names=["张三"]) == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("深圳海川电子科技来问", ["enterprise_name"]),
        ("张三来电", ["person_name"]),
        ("代码91440300MA5F00000X", ["credit_code"]),
        ("编码4403960002", ["customs_code"]),
        ("电话13800138000", ["phone"]),
        ("写信到a@b.cn", ["email"]),
        ("高级认证企业可享受较低查验率。", []),
    ],
)
def test_personal_data_found(text, kinds):
    assert (
        rules.personal_data_found(text, enterprise_names=["深圳海川电子科技有限公司"], person_names=["张三"]) == kinds
    )


# Personal data however it is written: full-width, in groups, in Chinese digits (the check reads
# text as a person does).
HIDDEN = [
    ("请致电 １３８００１３８０００", "phone"),
    ("手机 138 0013 8000", "phone"),
    ("手机 138.0013.8000", "phone"),
    ("手机 138-0013-8000", "phone"),
    ("手机 +86 138 0013 8000", "phone"),
    ("手机 一三八〇〇一三八〇〇〇", "phone"),
    ("座机 0512-6666 8888", "phone"),
    ("座机（０５１２）６６６６８８８８", "phone"),
    ("座机 010 1234 5678", "phone"),
    ("服务热线 400-820-8820", "phone"),
    ("邮箱 ｚｈａｎｇ＠ｈａｉｃｈｕａｎ．ｃｎ", "email"),
    ("邮箱 zhang @ haichuan . cn", "email"),
    ("邮箱 zhang(at)haichuan(dot)cn", "email"),
    ("身份证 44030119900101123X", "id_number"),
    ("身份证 ４４０３０１１９９００１０１１２３ｘ", "id_number"),
    ("身份证 4403 0119 9001 0112 34", "id_number"),
    ("代码 91440300MA5F00000X", "credit_code"),
    ("代码 ９１４４０３００ＭＡ５Ｆ００００００", "credit_code"),
    ("代码 9144 0300 1922 0382 16", "credit_code"),
    ("编码 ４４０３９６０００２", "customs_code"),
    ("联系人 张　三", "person_name"),
    ("联系人 张 三", "person_name"),
    ("来自 深圳海川电子科技", "enterprise_name"),
]


@pytest.mark.parametrize(("text", "kind"), HIDDEN)
def test_personal_data_found_however_written(text, kind):
    found = rules.personal_data_found(text, enterprise_names=["深圳海川电子科技有限公司"], person_names=["张三"])
    assert found == [kind]


@pytest.mark.parametrize(("text", "kind"), HIDDEN)
def test_masking_removes_personal_data_however_written(text, kind):
    masked = rules.mask_personal_data(text, enterprise_names=["深圳海川电子科技有限公司"], person_names=["张三"])
    assert rules.personal_data_found(masked, enterprise_names=["深圳海川电子科技有限公司"], person_names=["张三"]) == []
    assert masked.startswith(text[:2])  # the words around stay


@pytest.mark.parametrize(
    "text",
    [
        "依据海关总署公告2026年第34号，第3项。",
        "培训期间为2017-11-23至2026-01-15，共 120 学时。",
        "GB 32100-2015 规定了统一社会信用代码的编码规则。",
        "查验率降低 80%，通关时间缩短 1.5 小时；12360 海关热线。",
        "二〇二六年一月一日起施行。",
    ],
)
def test_ordinary_numbers_are_not_personal_data(text):
    assert rules.personal_data_found(text, enterprise_names=["深圳海川电子科技有限公司"], person_names=["张三"]) == []


def test_masking_keeps_the_text_as_written():
    """Full-width punctuation of the Chinese text stays: only the personal data is replaced."""
    masked = rules.mask_personal_data("您好，请致电１３８－００１３－８０００（张三），谢谢！", person_names=["张三"])
    assert masked == "您好，请致电***（某某），谢谢！"


def test_refusal_names_the_kinds_and_quotes_what_was_found():
    with translation.override("zh-hans"):
        message = rules.personal_data_refusal("请致电 １３８００１３８０００ 或写信 a@b.cn")
    assert "电话号码" in message and "电子邮箱" in message and "“１３８００１３８０００”" in message
    assert rules.personal_data_refusal("高级认证企业可享受较低查验率。") is None


CLOSED_TEXT = "This consultation is closed: ask a new question if you need more."


@pytest.mark.parametrize(
    ("step", "given", "message"),
    [
        (rules.REPLY, state(CLOSED, answered=True), CLOSED_TEXT),
        (rules.FOLLOW_UP, state(CLOSED, answered=True), CLOSED_TEXT),
        (rules.HAND_OVER_GACC, state(CLOSED, at_gacc=True), CLOSED_TEXT),
        (rules.HAND_OVER_GACC, state(at_gacc=True), "This consultation is already with GACC."),
        (rules.RATE, state(), "You can rate the answer once customs has answered."),
        (rules.RATE, state(ANSWERED, answered=True, rated=True), "You have already rated this answer."),
        (rules.PUBLISH, state(), "Only an answered question can be published."),
        (rules.PUBLISH, state(CLOSED, answered=True, published=True), "This question has already been published."),
    ],
)
def test_each_refusal_tells_the_person_why(step, given, message):
    with translation.override("en"):
        assert rules.refusal(step, given) == message


def test_refusals_read_in_chinese():
    with translation.override("zh-hans"):
        assert rules.refusal(rules.REPLY, state(CLOSED)) == "此咨询已关闭：如有其他问题，请重新提问。"
        assert rules.refusal(rules.HAND_OVER_GACC, state(at_gacc=True)) == "此咨询已转交海关总署。"
        assert rules.refusal(rules.RATE, state()) == "海关答复后才能评价。"


def test_name_variants_with_and_without_the_company_suffix_longest_first():
    assert rules.name_variants(["深圳海川电子科技有限公司"]) == [
        "深圳海川电子科技有限公司",
        "深圳海川电子科技有限",
        "深圳海川电子科技",
    ]
    assert rules.name_variants(["Shenzhen Haichuan"]) == ["Shenzhen Haichuan"]  # no suffix: the name only


def test_name_variants_of_several_names_are_ordered_by_length_not_alphabet():
    assert rules.name_variants(["Zhao Ltd.", "Anhui Haichuan Co., Ltd."]) == [
        "Anhui Haichuan Co., Ltd.",
        "Anhui Haichuan Co.,",
        "Anhui Haichuan",
        "Zhao Ltd.",
        "Zhao",
    ]


def test_a_name_keeps_at_least_two_characters_without_its_suffix():
    assert rules.name_variants(["海川有限公司"]) == ["海川有限公司", "海川有限", "海川"]
    assert rules.name_variants(["海公司"]) == ["海公司"]  # "海" alone would mask every 海 of 海关


def test_missing_and_one_character_names_are_skipped_and_the_others_kept():
    assert rules.name_variants([None, "", " ", "海"]) == []
    assert rules.name_variants(["海", "海川"]) == ["海川"]


def test_names_missing_or_of_one_character_are_not_looked_for():
    """A one-character name would flag every 张 (张贴 is "to post")."""
    text = "张贴公告：张三来电"
    assert rules.personal_data_found(text, enterprise_names=[None, ""], person_names=[None, "", "张"]) == []
    assert rules.personal_data_found(text, person_names=[None, "张三"]) == ["person_name"]


def test_the_longest_name_is_masked_whole_whatever_its_case():
    masked = rules.mask_personal_data("Contact Li Mingyu today.", person_names=["li ming", "LI MINGYU"])
    assert masked == "Contact 某某 today."


@pytest.mark.parametrize("empty", [None, ""])
def test_no_text_has_nothing_to_mask(empty):
    assert rules.mask_personal_data(empty, person_names=["张三"]) == ""
    assert rules.personal_data_found(empty, person_names=["张三"]) == []


@pytest.mark.parametrize(
    ("text", "findings"),
    [
        ("王五 13800138000", [Finding("person_name", 0, 2), Finding("phone", 3, 14)]),
        ("王五13800138000", [Finding("person_name", 0, 2), Finding("phone", 2, 13)]),
        ("13800138000王五", [Finding("phone", 0, 11), Finding("person_name", 11, 13)]),
    ],
)
def test_personal_data_side_by_side_are_two_findings(text, findings):
    assert rules.personal_data_spans(text, person_names=["王五"]) == findings


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("联系人张三13800138000", "联系人某某***"),
        ("联系人王一13800138000", "联系人王一***"),
        ("手机13800138000一直开机", "手机***一直开机"),
        ("身份证440301199001011234三份", "身份证***三份"),
    ],
)
def test_a_number_next_to_a_chinese_digit_character_is_still_found(text, masked):
    assert rules.mask_personal_data(text, person_names=["张三"]) == masked
    assert rules.personal_data_found(masked, person_names=["张三"]) == []


REFUSED = "深圳海川电子科技的张三请致电 13800138000 或写信 a@b.cn，身份证440301199001011234"


def test_the_publication_refusal_lists_every_kind_and_quotes_the_first_three_findings():
    with translation.override("en"):
        message = rules.personal_data_refusal(
            REFUSED, enterprise_names=["深圳海川电子科技有限公司"], person_names=["张三"]
        )
    assert message == (
        "The text still contains personal data (the enterprise's name, a person's name, an identity card number, "
        "a phone number, an e-mail address: “深圳海川电子科技”、“张三”、“13800138000”): remove it before publishing."
    )


def test_the_publication_refusal_in_chinese_lists_with_the_chinese_comma():
    with translation.override("zh-hans"):
        message = rules.personal_data_refusal(
            REFUSED, enterprise_names=["深圳海川电子科技有限公司"], person_names=["张三"]
        )
    assert message == (
        "文本中仍有个人信息（企业名称、人名、身份证号码、电话号码、电子邮箱："
        "“深圳海川电子科技”、“张三”、“13800138000”），请删除后再发布。"
    )
