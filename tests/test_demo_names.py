"""Demo data tells one story: an enterprise another demo module names (an observed validation, a
consultation, a readiness report) is one `trainees.demo` registers, spelt the same way."""

import re
from pathlib import Path

import pytest

from trainees.demo import DEMO_ENTERPRISES, MORE_ENTERPRISES

ROOT = Path(__file__).resolve().parent.parent
REGISTERED = {row[1] for row in DEMO_ENTERPRISES + MORE_ENTERPRISES}
COMPANY = re.compile(r"[\u4e00-\u9fff]+(?:股份有限公司|有限责任公司|有限公司)")
DEMO_MODULES = sorted(p for p in ROOT.glob("*/demo.py") if p.parent.name != "trainees")


def test_demo_modules_are_found():
    assert {p.parent.name for p in DEMO_MODULES} >= {"live", "consultations", "feedback", "readiness", "surveys"}


@pytest.mark.parametrize("module", DEMO_MODULES, ids=lambda p: p.parent.name)
def test_enterprises_named_in_demo_data_are_the_registered_ones(module):
    # Chinese has no spaces: "我们是深圳海川电子科技有限公司" ends with the registered name.
    for found in COMPANY.findall(module.read_text(encoding="utf-8")):
        assert any(found.endswith(name) for name in REGISTERED), f"{module.parent.name}/demo.py names {found}"


def test_the_observed_enterprise_of_the_demo_live_sessions_is_a_demo_enterprise():
    from live.demo import OBSERVED_ENTERPRISE

    assert OBSERVED_ENTERPRISE == "苏州恒信精密机械有限公司"
