"""chainmap targets: the CLI over chainmap.targets."""

from __future__ import annotations

import json

import openpyxl
import pytest

import chainmap
from tests.conftest import write_files
from tests.test_analysis_gaps import HOME
from tests.test_analysis_targets import TARGETS


@pytest.fixture
def cli(run, tmp_path):
    assert run("import", write_files(tmp_path / "targets", TARGETS)).exit_code == 0
    return run


def test_json(cli):
    r = cli("targets", "--chain", "空调", "--product", "压缩机", "--home", HOME,
            "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [row["company"] for row in data] == ["s1", "s2", "s4", "s5", "s3"]
    assert list(data[0]) == chainmap.TARGET_COLUMNS
    assert data[0]["why"] == "supplies 当涂整机厂、当涂汽车空调厂; largest in 上海市"
    assert data[4]["revenue"] is None and data[4]["is_lead"] is False
    assert r.stderr == ""


def test_table_and_chinese_headers(cli):
    r = cli("targets", "--chain", "ac", "--product", "comp", "--home", HOME, "--lang", "zh")
    assert r.exit_code == 0
    header = r.stdout.splitlines()[0].split()
    assert header == ["排名", "企业编号", "名称", "地区", "营业收入(万元)", "已供应本地企业",
                      "本地客户", "理由", "已是线索"]


def test_xlsx(cli, tmp_path):
    out = tmp_path / "t.xlsx"
    r = cli("targets", "--chain", "ac", "--product", "comp", "--home", HOME, "-o", out)
    assert r.exit_code == 0
    values = list(openpyxl.load_workbook(out)["targets"].values)
    assert values[0][:2] == ("rank", "company") and values[1][:2] == (1, "s1")


def test_no_candidates(cli):
    r = cli("targets", "--chain", "ac", "--product", "cap", "--home", HOME)
    assert r.exit_code == 0
    assert r.stdout == "(no rows)\n"
    assert r.stderr == "No firm in the target regions makes this product\n"


def test_errors(cli):
    r = cli("targets", "--chain", "ac", "--product", "autoac", "--home", HOME)
    assert (r.exit_code, r.stderr) == (
        1, "Error: product 'autoac' (汽车空调) is not in chain 'ac' (空调)\n")
    r = cli("targets", "--chain", "ac", "--product", "nope", "--home", HOME)
    assert (r.exit_code, r.stderr) == (1, "Error: unknown product 'nope'\n")
    r = cli("targets", "--chain", "ac", "--product", "comp")
    assert r.exit_code == 1 and r.stderr.startswith("Error: no home region: give --home")
    r = cli("targets", "--chain", "ac", "--product", "comp", "--home", "鼓楼区")
    assert r.exit_code == 1 and r.stderr.startswith("Error: '鼓楼区' is ambiguous")
    assert cli("targets", "--chain", "ac", "--home", HOME).exit_code == 2
    assert cli("targets", "--product", "comp", "--home", HOME).exit_code == 2


def test_configured_home(cli):
    cli("config", "home", HOME)
    r = cli("targets", "--chain", "ac", "--product", "comp", "--format", "csv")
    assert r.exit_code == 0 and r.stdout.splitlines()[1].startswith("1,s1,上海压缩机厂,")


def test_targets_separated_by_spaces_and_other_marks(cli):
    def firms(targets: str) -> list[str]:
        r = cli("targets", "--chain", "ac", "--product", "comp", "--home", HOME,
                "--targets", targets, "--format", "json")
        assert r.exit_code == 0, r.output
        return [row["company"] for row in json.loads(r.stdout)]

    both = ["s2", "s4", "s5", "s3"]  # 江苏 and 浙江, not 上海
    assert firms("江苏,浙江") == both
    for typed in ("江苏 浙江", "江苏　浙江", "江苏、浙江", "江苏，浙江", "江苏;浙江", "江苏；浙江"):
        assert firms(typed) == both, typed
    assert firms("苏浙沪 广东") == ["g1", "s1", "s2", "s4", "s5", "s3"]
    assert firms("江苏省 苏州市") == ["s2"]  # one place written with spaces: a path
    r = cli("targets", "--chain", "ac", "--product", "comp", "--home", HOME,
            "--targets", "江苏 浙将")
    assert r.exit_code == 1 and "unknown region '浙将'" in r.stderr
