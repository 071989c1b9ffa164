"""The messages of the core modules (errors, regions, dates, workspace, the lead pipeline,
stores, files, sample, synth, demo) in Chinese under ``zh``; English unchanged."""

from __future__ import annotations

import re
import sqlite3

import pytest

import chainmap
from chainmap.dates import parse_date
from chainmap.errors import ArgumentError, ChainmapError, DatasetError, Problem, WorkspaceError
from chainmap.i18n import join, use_language
from chainmap.store import SQLiteStore
from chainmap.synth import synth


def error(call, *args, **kwargs) -> str:
    with pytest.raises(ChainmapError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def english_words(text: str, allowed: set[str]) -> set[str]:
    """Words of ASCII letters in ``text`` that are not ids, codes or names in ``allowed``."""
    return set(re.findall(r"[A-Za-z][A-Za-z_-]*", text)) - allowed


@pytest.fixture
def ws(sample_ws):
    return sample_ws


def test_a_finding_and_the_dataset_error():
    problem = Problem("bad-uscc", "不是有效的统一社会信用代码", source="companies.csv", line=3,
                      column="uscc", value="123")
    with use_language("zh"):
        assert str(problem) == "companies.csv:3: 列“uscc”: 值“123”: 不是有效的统一社会信用代码"
        text = str(DatasetError([problem] * 2, total=60))
    assert text.splitlines()[0] == "发现 60 个问题，未导入任何数据"
    assert text.splitlines()[-1] == "……另有 58 个问题"
    assert str(DatasetError([problem])).splitlines()[0] == \
        "1 problem(s) found; nothing was imported"


def test_dates():
    with use_language("zh"):
        assert error(parse_date, "2026-02-30", "due") == (
            "due= 的日期 '2026-02-30' 无效：没有这一天；请写成 2026-11-25、2026/11/25、"
            "2026.11.25 或 2026年11月25日")
        assert error(parse_date, "soon", "date").startswith("date= 的日期 'soon' 无效：不是日期；")
    assert error(parse_date, "soon", "date") == (
        "invalid date 'soon' for date=: not a date; use 2026-11-25, 2026/11/25, 2026.11.25 or "
        "2026年11月25日")


def test_lead_pipeline_errors(ws):
    cases = [
        (lambda: chainmap.move_lead(ws, "L1", "lost"),
         "转为终止（lost）须写明原因：请给出 reason="),
        (lambda: chainmap.move_lead(ws, "L1", "signed", reason="x"),
         "reason= 只用于转为终止（lost），转为签约请用 note="),
        (lambda: chainmap.move_lead(ws, "L1", "洽谈"), "线索 L0001 已处于洽谈阶段（negotiating）"),
        (lambda: chainmap.add_lead(ws, "xinchang-valve", product="eev"),
         "企业 'xinchang-valve' 已有产品 'eev' 的在办线索：L0001（洽谈）；"
         "如需再加一条，请用 force=True"),
        (lambda: chainmap.add_lead(ws, "gree", investment=-1),
         "投资额须为不小于 0 的数（亿元），不是 '-1'"),
        (lambda: chainmap.add_lead(ws, "gree", investment="abc"),
         "投资额须为数字（亿元），不是 'abc'"),
        (lambda: chainmap.move_lead(ws, "L99", "signed"), "没有线索 'L99'"),
        (lambda: chainmap.move_lead(ws, "x", "signed"), "'x' 不是线索编号（应如 L0001 或 L1）"),
        (lambda: chainmap.complete_followup(ws, "F9"), "没有跟进事项 'F9'"),
        (lambda: chainmap.complete_followup(ws, "Fx"), "'Fx' 不是跟进事项编号（应如 F0001 或 F1）"),
        (lambda: chainmap.log_activity(ws, "L1", "fly", "x"),
         "没有活动方式 'fly'；可选：visit/拜访、call/电话、meeting/会谈、email/邮件、event/活动"),
        (lambda: chainmap.log_activity(ws, "L1", "visit", " "), "走访活动须写明内容（note=）"),
        (lambda: chainmap.add_followup(ws, "L1", due="2026-07-01", note=""),
         "跟进事项须写明内容（note=）"),
        (lambda: chainmap.update_lead(ws, "L1"),
         "没有要修改的内容：请给出 owner=、investment=、product=、contract_date=、note=、"
         "land=、output=、tax=、jobs=、start_by= 或 produce_by="),
        (lambda: chainmap.merge_firms(ws, "aux", "aux"), "不能把企业 'aux' 合并到其自身"),
        (lambda: chainmap.duplicate_firms(ws, min_score=101),
         "min_score= 须在 0 到 100 之间，不是 101"),
        (lambda: chainmap.stale_leads(ws, days=-1), "days= 须为不小于 0 的整数，不是 -1"),
        (lambda: chainmap.signed_projects(ws, days=-1), "days= 须为不小于 0 的整数，不是 -1"),
        (lambda: chainmap.leads_from_gaps(ws, "智能家电", top=0), "top= 至少为 1，不是 0"),
        (lambda: chainmap.add_lead(ws, "gree", source="tv"),
         "没有线索来源 'tv'；可选：gap、referral、event、other"),
    ]
    with use_language("zh"):
        for call, expected in cases:
            assert error(call) == expected
        stage = error(chainmap.move_lead, ws, "L1", "won")
    assert stage.startswith("没有阶段 'won'；可选阶段：lead/线索、contacted/接洽、")
    assert error(chainmap.move_lead, ws, "L1", "lost") == \
        "a move to lost (终止) needs a reason: give reason="


def test_the_audit_log_is_written_in_the_language_of_the_change(ws):
    with use_language("zh"):
        assert chainmap.update_lead(ws, "L0003", owner="李娜", investment=30) == [
            "负责人：张超 → 李娜", "投资额(亿元)：28 → 30"]
        chainmap.move_lead(ws, "L2", "洽谈", date="2026-03-10", note="谈价格", by="李娜")
        chainmap.log_activity(ws, "L2", "拜访", "看了厂房", date="2026-03-05", by="李娜")
        fid = chainmap.add_followup(ws, "L2", due="2026-07-01", note="送土地方案")
        chainmap.complete_followup(ws, fid, note="已送")
        lid = chainmap.add_lead(ws, "gree", product="compressor", owner="王磊", investment=15,
                                source="以商招商", date="2026-06-01")
    details = chainmap.audit_log(ws)["detail"].tolist()[-6:]
    assert details == [
        "负责人：张超 → 李娜；投资额(亿元)：28 → 30",
        "考察 → 洽谈（2026-03-10）；备注：谈价格",
        "A0001 2026-03-05 拜访：看了厂房",
        "F0001 限 2026-07-01 前：送土地方案",
        "F0001 已完成：已送",
        "gree / compressor，阶段：线索，来源：以商招商，负责人：王磊，投资额 15 亿元",
    ]
    chainmap.move_lead(ws, lid, "contacted", date="2026-06-10", note="first call")
    assert chainmap.audit_log(ws)["detail"].iloc[-1] == \
        "lead → contacted on 2026-06-10; note: first call"


def test_a_lead_card_and_the_pipeline_report_in_chinese(ws):
    with use_language("zh"):
        card = str(chainmap.lead_details(ws, "L0003"))
        report = str(chainmap.pipeline(ws, today="2026-06-01"))
    assert card.splitlines()[0].split() == ["编号", "L0003"]
    assert "阶段          签约" in card and "[阶段记录]" in card and "[跟进事项]" in card
    assert "stage_zh" not in card
    assert report.startswith("[阶段]\n阶段  数量  投资额(亿元)")
    english = str(chainmap.lead_details(ws, "L0003"))
    assert english.splitlines()[0].split() == ["id", "L0003"] and "[history]" in english


def test_merge_plan_and_from_gaps_in_chinese(ws):
    with use_language("zh"):
        plan = chainmap.merge_firms(ws, "kaiyue", "kaiyue-2")
        assert plan.lines()[:2] == [
            "将 kaiyue-2（凯越电子(宁波)有限公司）并入 kaiyue（凯越电子（宁波）有限公司）",
            "  将转移：企业产品 1 条"]
        assert plan.lines()[-1] == "  将删除企业记录 kaiyue-2；完整记录保存在合并日志中"
        chainmap.merge_firms(ws, "kaiyue", "kaiyue-2", apply=True, by="王磊")
        preview = chainmap.leads_from_gaps(ws, "智能家电", home="当涂县", top=1, dry_run=True)
        assert str(preview) == "预演：将新增 17 条线索，跳过 4 条（该企业该产品已有在办线索）"
        assert preview.plan["why"].iloc[0] == "来自缺链分析：铜管（缺链）"
    merged = chainmap.audit_log(ws)
    assert merged["detail"][merged["action"] == "merge"].iloc[-1].startswith(
        "已将 kaiyue-2（凯越电子(宁波)有限公司）并入 kaiyue：转移 企业产品 1 条、供货关系 0 条")


def test_workspace_messages(ws, tmp_path):
    with use_language("zh"):
        result = chainmap.import_dataset(chainmap.open(":memory:"), chainmap.sample_path())
        assert str(result).startswith(
            "已导入 sample：产业链 3 条（新增 3 条）、产品 52 个（新增 52 个）")
        assert error(chainmap.open(":memory:").resolve_home, None) == (
            '未设本地园区：请给出 home=，或用 ws.set_home("安徽省/马鞍山市/当涂县") 设置')
        assert error(ws.table, "nope").startswith("没有数据表 'nope'；现有数据表：chains、products")
        assert error(ws.product_id, " ") == "未给出产品（名称为空）"
        assert "本地园区：安徽省/马鞍山市/当涂县" in chainmap.open(ws.location)._repr_html_() \
            or "本地园区：（未设置）" in chainmap.open(ws.location)._repr_html_()


def test_store_sample_synth_and_file_messages(tmp_path):
    folder = tmp_path / "folder.db"
    folder.mkdir()
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as db:
        db.execute("PRAGMA user_version = 999")
    plain = tmp_path / "plain.txt"
    plain.write_text("x", encoding="utf-8")
    with use_language("zh"):
        assert error(SQLiteStore, folder) == f"工作区 {folder} 是文件夹，不是文件"
        assert error(SQLiteStore, tmp_path / "no" / "ws.db") == (
            f"无法创建工作区 {tmp_path / 'no' / 'ws.db'}：文件夹 {tmp_path / 'no'} 不存在")
        assert error(SQLiteStore, newer).startswith(
            f"{newer} 由更新版本的 chainmap 创建（数据结构第 999 版")
        assert error(chainmap.sample, plain) == f"{plain} 是文件；示例数据请指定文件夹"
        assert error(synth, tmp_path / "s", firms=0) == "firms= 至少为 1，不是 0"
        assert error(synth, tmp_path / "s", products=2) == \
            "products= 至少为 3（上中下游各一个），不是 2"
        assert error(synth, plain) == f"{plain} 是文件，不是文件夹"
        assert error(chainmap.demo, tmp_path) == f"{tmp_path} 是文件夹；演示工作区请指定文件名"
        assert error(chainmap.demo, plain) == (
            f"{plain} 已存在且不是演示工作区；演示会重建工作区，请另给 path=")
        from chainmap.files import write_atomic

        assert error(write_atomic, tmp_path / "no" / "x.txt", lambda tmp: None).startswith(
            f"无法写入 {tmp_path / 'no' / 'x.txt'}：")


def test_the_neo4j_store_without_a_server(monkeypatch):
    pytest.importorskip("neo4j")
    from chainmap.store.neo4j import Neo4jStore

    monkeypatch.delenv("NEO4J_URI", raising=False)
    with use_language("zh"):
        assert error(Neo4jStore) == \
            "未指定 Neo4j 服务器：请给出 uri= bolt://HOST:7687 或设置 NEO4J_URI"
        assert error(Neo4jStore, "bolt://u:p@localhost:1") == (
            "Neo4j 用户名和密码请写在 NEO4J_USERNAME 和 NEO4J_PASSWORD 中，不要写在地址里"
            "（bolt://localhost:1）")
    with pytest.raises(WorkspaceError):
        Neo4jStore()


def test_the_demo_summary_in_chinese(tmp_path):
    with use_language("zh"):
        text = chainmap.demo(tmp_path / "demo.db")
    lines = text.splitlines()
    assert lines[0] == (f"chainmap 演示：工作区 {tmp_path / 'demo.db'}"
                        "（本地园区 安徽省/马鞍山市/当涂县，已设为默认）")
    assert lines[2].startswith("工作区：产业链 3 条、产品 52 个")
    assert "安徽省/马鞍山市/当涂县本地企业：30 家（园区内 25 家）" in lines
    assert any(line.startswith(
        "缺链分析：安徽省/马鞍山市/当涂县 智能家电产业链（smart-appliances）") for line in lines)
    assert "下一步：" in lines
    # no English words but ids, codes, the command and the column of ids
    prose = "\n".join(line for line in lines if not line.startswith(("  chainmap", "---")))
    prose = prose.replace(str(tmp_path / "demo.db"), "")
    ids = set(re.findall(r"[a-z][a-z0-9_-]*(?:-[a-z0-9]+)*", prose))
    assert english_words(prose, ids | {"chainmap", "ABS", "db", "check"}) == set()


def test_join_follows_the_language():
    assert join(["a", "b"]) == "a, b"
    with use_language("zh"):
        assert join(["a", "b"]) == "a、b"


def test_an_argument_error_keeps_its_parameter_in_chinese(ws):
    with use_language("zh"), pytest.raises(ArgumentError) as caught:
        chainmap.move_lead(ws, "L1", "lost")
    assert caught.value.parameter == "reason" and "reason=" in str(caught.value)
