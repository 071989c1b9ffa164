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
