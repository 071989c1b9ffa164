"""chainmap chains list / add: the shipped reference chains."""

from __future__ import annotations

import json

import chainmap


def test_chains_list(run):
    result = run("chains", "list")
    assert result.exit_code == 0, result.output
    assert "smart-appliances" in result.stdout and "工业机器人" in result.stdout
    rows = json.loads(run("chains", "list", "--format", "json").stdout)
    assert {"id", "name", "name_en", "products", "tiers", "source"} <= set(rows[0])


def test_chains_add_twice_changes_nothing(run, db):
    first = run("chains", "add", "工业机器人")
    assert first.exit_code == 0, first.output
    assert "30 products (30 new)" in first.stderr
    second = run("chains", "add", "industrial-robots")
    assert second.exit_code == 0
    assert "Nothing changed" in second.stderr


def test_two_templates_sharing_a_product(run, db):
    assert run("chains", "add", "智能家电").exit_code == 0
    assert run("chains", "add", "智慧物流").exit_code == 0
    with chainmap.open(db) as ws:
        links = ws.table("product_chains")
        assert set(links.loc[links["product_id"] == "refrigeration-unit", "chain_id"]) == {
            "smart-appliances", "smart-logistics"}


def test_an_unknown_template(run):
    result = run("chains", "add", "家电")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no chain template '家电'; templates: ")


def test_chain_written_with_产业链(run, db):
    """工业机器人产业链 is the template 工业机器人 (a note says so), and once added the
    reports take 工业机器人产业链 for the chain too."""
    added = run("chains", "add", "工业机器人产业链", "--lang", "zh")
    assert added.exit_code == 0, added.output
    assert "提示：按“工业机器人产业链”理解为“工业机器人”" in added.stderr
    with chainmap.open(db) as ws:
        assert ws.table("chains")["id"].tolist() == ["industrial-robots"]
    metrics = run("metrics", "--chain", "工业机器人产业链", "--home", "当涂县", "--format",
                  "json")
    assert metrics.exit_code == 0, metrics.output
    assert "read '工业机器人产业链' as '工业机器人'" in metrics.stderr
    assert run("chains", "add", "机器人").exit_code == 1  # not one template's name
