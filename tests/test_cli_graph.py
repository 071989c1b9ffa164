"""chainmap graph: write the chain as GraphML or GEXF."""

from __future__ import annotations

import networkx as nx
import pytest

from tests.conftest import write_files
from tests.test_analysis_graph import GRAPH, HOME


@pytest.fixture
def cli(run, tmp_path):
    assert run("import", write_files(tmp_path / "graph", GRAPH)).exit_code == 0
    return run


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".GraphML"])
def test_write(cli, tmp_path, suffix):
    out = tmp_path / f"k1{suffix}"
    r = cli("graph", "--chain", "空调", "--home", HOME, "-o", out)
    assert r.exit_code == 0, r.output
    assert r.stderr == f"Wrote {out}: 7 nodes, 11 edges\n" and r.stdout == ""
    G = nx.read_gexf(out) if suffix == ".gexf" else nx.read_graphml(out)
    assert G.nodes["product:c"]["kind"] == "product"
    assert G.nodes["firm:w"]["local"] is True


def test_no_firms_no_home(cli, tmp_path):
    out = tmp_path / "p.graphml"
    r = cli("graph", "--no-firms", "-o", out)
    assert r.stderr == f"Wrote {out}: 5 nodes, 5 edges\n"
    assert "status" not in nx.read_graphml(out).nodes["product:a"]


def test_errors(cli, tmp_path):
    r = cli("graph", "--chain", "k1", "-o", tmp_path / "g.png")
    assert (r.exit_code, r.stderr) == (
        1, "Error: cannot write a graph to 'g.png': give a file ending in .graphml or .gexf\n")
    assert not (tmp_path / "g.png").exists()
    r = cli("graph", "--chain", "zz", "-o", tmp_path / "g.gexf")
    assert r.exit_code == 1 and r.stderr.startswith("Error: unknown chain 'zz'")
    r = cli("graph", "--chain", "k1", "-o", tmp_path / "nope" / "g.gexf")
    assert r.exit_code == 1 and r.stderr.startswith("Error: cannot write ")
    assert cli("graph", "--chain", "k1").exit_code == 2  # -o is required
