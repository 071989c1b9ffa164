"""Names people type: a firm's registered name written another way resolves; an unknown
firm or product is an error that names the closest records."""

from __future__ import annotations

import pytest

import chainmap


def test_a_registered_name_written_another_way_names_the_firm(sample_ws) -> None:
    with pytest.warns(chainmap.NearMatchWarning, match="as '奥克斯空调（马鞍山）有限公司'"):
        assert sample_ws.company_id("奥克斯空调(马鞍山)有限公司") == "aux"  # half-width brackets
    with pytest.warns(chainmap.NearMatchWarning):
        assert sample_ws.company_id("奥克斯空调（马鞍山）") == "aux"  # without 有限公司


def test_a_name_of_another_legal_form_is_not_the_firm(sample_ws) -> None:
    # hengnian is 上海恒粘新材料股份有限公司: its name without a legal form, or with
    # 股份公司, names it; a 集团有限公司 or a 有限公司 of that name is another legal entity
    with pytest.warns(chainmap.NearMatchWarning):
        assert sample_ws.company_id("上海恒粘新材料") == "hengnian"
    with pytest.warns(chainmap.NearMatchWarning):
        assert sample_ws.company_id("上海恒粘新材料股份公司") == "hengnian"
    for name, form in (("上海恒粘新材料集团有限公司", "集团有限公司"),
                       ("上海恒粘新材料有限公司", "有限公司"),
                       ("上海恒粘新材料有限责任公司", "有限公司")):
        with pytest.raises(chainmap.NotFoundError) as caught:
            sample_ws.company_id(name)
        assert str(caught.value) == (
            f"unknown firm '{name}': 上海恒粘新材料股份有限公司 (hengnian) has this name "
            f"with another legal form (股份有限公司, not {form}), a different firm; give its "
            "id or its exact name if you mean it")
    # 苏州恒冷换热器 is hengleng (有限公司) and hengleng-gf (股份有限公司): each its own form
    with pytest.warns(chainmap.NearMatchWarning):
        assert sample_ws.company_id("苏州恒冷换热器有限责任公司") == "hengleng"
    with pytest.warns(chainmap.NearMatchWarning):
        assert sample_ws.company_id("苏州恒冷换热器股份公司") == "hengleng-gf"


def test_an_unknown_firm_lists_the_closest_names(sample_ws) -> None:
    with pytest.raises(LookupError) as caught:
        sample_ws.company_id("奥克斯空调有限公司")
    assert str(caught.value).startswith("unknown firm '奥克斯空调有限公司'; did you mean: ")
    assert "奥克斯空调（马鞍山）有限公司 (aux)" in str(caught.value)


def test_an_unknown_product_lists_the_closest_names(sample_ws) -> None:
    with pytest.raises(chainmap.NotFoundError) as caught:
        sample_ws.product_id("控制器")
    assert str(caught.value) == ("unknown product '控制器'; did you mean: "
                                 "控制器（主控板） (controller)?")


def test_nothing_close_says_only_unknown(sample_ws) -> None:
    with pytest.raises(chainmap.NotFoundError) as caught:
        sample_ws.product_id("qqqqqq")
    assert str(caught.value) == "unknown product 'qqqqqq'"
