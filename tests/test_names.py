"""Firm names: one core and compatible legal forms are one firm; another legal form of the
same core (集团有限公司 / 股份有限公司 / 有限公司) is another legal entity."""

from __future__ import annotations

import pytest

from chainmap.names import legal_form, normalize_name, same_firm_name, same_legal_form

SAME = [
    ("上海恒粘新材料股份有限公司", "上海恒粘新材料股份有限公司"),
    ("上海恒粘新材料", "上海恒粘新材料股份有限公司"),  # the form left out
    ("上海恒粘新材料集团有限公司", "上海恒粘新材料"),
    ("苏州恒冷换热器有限公司", "苏州恒冷换热器有限责任公司"),  # one form, two spellings
    ("上海恒粘新材料股份公司", "上海恒粘新材料股份有限公司"),
    ("上海恒粘新材料股份", "上海恒粘新材料股份有限公司"),
    ("奥克斯空调（马鞍山） 有限公司", "奥克斯空调(马鞍山)有限公司"),  # width, spaces
    ("ＡＢＣ科技有限公司", "abc科技有限公司"),
    ("上海华冷科技有限公司（上海）分公司", "上海华冷科技有限公司"),  # a branch: its firm's form
    ("上海恒粘新材料公司", "上海恒粘新材料股份有限公司"),  # 公司 does not say which kind
    ("上海恒粘新材料公司", "上海恒粘新材料有限公司"),
    ("美的集团", "美的集团股份有限公司"),  # 集团 does not say which kind either
    ("美的集团公司", "美的集团有限公司"),
    ("AUX Co., Ltd.", "AUX"),
]
DIFFERENT = [
    ("上海恒粘新材料集团有限公司", "上海恒粘新材料股份有限公司"),
    ("上海恒粘新材料有限公司", "上海恒粘新材料股份有限公司"),  # a 股份有限公司 is no 有限责任公司
    ("上海恒粘新材料有限责任公司", "上海恒粘新材料股份有限公司"),
    ("上海恒粘新材料集团股份有限公司", "上海恒粘新材料股份有限公司"),
    ("上海恒粘新材料集团股份有限公司", "上海恒粘新材料集团有限公司"),
    ("上海恒粘新材料集团", "上海恒粘新材料股份有限公司"),  # a group is not the company
    ("上海恒粘新材料集团", "上海恒粘新材料公司"),
    ("上海恒粘新材料集团有限公司", "上海恒粘新材料有限公司"),
    ("奥克斯空调（马鞍山）有限公司", "奥克斯空调有限公司"),  # a bracketed place is kept
    ("上海恒粘新材料有限公司", "上海恒粘材料有限公司"),  # another core
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_one_core_and_compatible_forms_are_one_firm(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)
    assert same_firm_name(a, b) and same_firm_name(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_another_legal_form_or_core_is_another_firm(a: str, b: str) -> None:
    assert not same_firm_name(a, b) and not same_firm_name(b, a)


@pytest.mark.parametrize(("name", "form"), [
    ("上海恒粘新材料", ""),
    ("上海恒粘新材料有限公司", "有限公司"),
    ("上海恒粘新材料有限责任公司", "有限公司"),
    ("上海恒粘新材料股份有限公司", "股份有限公司"),
    ("上海恒粘新材料股份公司", "股份有限公司"),
    ("上海恒粘新材料集团有限公司", "集团有限公司"),
    ("上海恒粘新材料集团股份有限公司", "集团股份有限公司"),
    ("上海恒粘新材料集团公司", "集团"),
    ("上海恒粘新材料总公司", "公司"),
    ("上海华冷科技有限公司（上海）分公司", "有限公司"),
    ("集团", ""),  # a name that is only a legal-form word keeps it as its name
])
def test_legal_form(name: str, form: str) -> None:
    assert legal_form(name) == form


def test_same_legal_form_is_symmetric_and_reflexive() -> None:
    forms = ["", "有限公司", "股份有限公司", "公司", "集团", "集团有限公司", "集团股份有限公司"]
    for a in forms:
        assert same_legal_form(a, a)
        for b in forms:
            assert same_legal_form(a, b) == same_legal_form(b, a)
    assert [f for f in forms if same_legal_form("股份有限公司", f)] == [
        "", "股份有限公司", "公司"]
