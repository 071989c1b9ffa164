"""chainmap.charts: the funnel and the gap bars, with Chinese text really drawn."""

from __future__ import annotations

import os
import unicodedata
import warnings

import numpy as np
import pandas as pd
import pytest

import chainmap
import chainmap.charts as charts  # noqa: E402
from chainmap.errors import ChainmapError
from tests.chart_fixtures import cjk_font  # noqa: F401

HOME = "安徽省/马鞍山市/当涂县"
HOSTILE_FREE_ZH = "智能家电产业链"


def texts(fig):
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def glyphless(fig) -> list[tuple[str, str, str]]:
    """(text, character, font file) for every drawn character its font has no glyph for."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    missing = []
    for t in texts(fig):
        path = font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)
        font = FT2Font(path)
        missing += [(t.get_text(), ch, path) for ch in t.get_text()
                    if not ch.isspace() and font.get_char_index(ord(ch)) == 0]
    return missing


def is_chinese(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith(("CJK", "FULLWIDTH")) or ch in "·、，：（）"


@pytest.fixture
def report(sample_ws):
    return chainmap.gaps(sample_ws, "智能家电", home=HOME)


def test_the_font_has_chinese_glyphs_and_dejavu_has_not(cjk_font):  # noqa: F811
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    family, path = cjk_font
    assert family and path.lower().endswith((".ttf", ".otf", ".ttc"))
    assert all(FT2Font(path).get_char_index(ord(ch)) != 0 for ch in "缺链弱链招商漏斗上中下游")
    # the check below would catch tofu: DejaVu Sans has no Chinese glyphs
    dejavu = font_manager.findfont("DejaVu Sans")
    assert FT2Font(dejavu).get_char_index(ord("缺")) == 0


def test_chinese_only_chart_is_really_drawn(cjk_font, report, tmp_path):  # noqa: F811
    from PIL import Image

    fig = charts.gap_bars(report, lang="zh", title=HOSTILE_FREE_ZH)
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(names) == sorted(report["name"])  # the products, by their Chinese names
    for t in list(ax.texts):  # the counts: keep only Chinese text
        if t.get_text().isdigit():
            t.remove()
    ax.set_xticks([])
    words = [t.get_text() for t in texts(fig)]
    assert set(words) == {HOSTILE_FREE_ZH, "上游", "中游", "下游", "缺链", "弱链", "已覆盖",
                          "本地生产企业数", *names}
    assert all(is_chinese(ch) for w in set(words) - set(names) for ch in w)  # names are data
    assert glyphless(fig) == []

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = charts.save(fig, tmp_path / "zh.png", dpi=fig.dpi)
    assert not [w for w in caught if "missing from font" in str(w.message)
                or "Glyph" in str(w.message)], [str(w.message) for w in caught]

    image = Image.open(path)
    image.verify()
    pixels = np.asarray(Image.open(path).convert("L"))
    assert pixels.shape == (int(fig.get_figheight() * fig.dpi), int(fig.get_figwidth() * fig.dpi))
    renderer = fig.canvas.get_renderer()
    height = pixels.shape[0]
    for label in (ax.title, *ax.get_yticklabels()):
        box = label.get_window_extent(renderer)
        region = pixels[int(height - box.y1):int(height - box.y0) + 1,
                        int(box.x0):int(box.x1) + 1]
        assert region.size and (region < 128).sum() > 20, label.get_text()
    # and outside any text the top-left corner is background
    assert (pixels[:5, :5] == 255).all()


def test_a_tofu_chart_warns_so_the_check_above_means_something(tmp_path):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure()
    FigureCanvasAgg(fig)
    fig.suptitle("缺链", family="DejaVu Sans")
    assert glyphless(fig)
    with pytest.warns(UserWarning, match="missing from font"):
        fig.savefig(tmp_path / "tofu.png")


def test_funnel_draws_every_text_with_glyphs(cjk_font, sample_ws, recwarn):  # noqa: F811
    fig = charts.funnel(sample_ws)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "线索 lead", "接洽 contacted", "考察 visited", "洽谈 negotiating", "签约 signed",
        "开工 started", "投产 producing"]
    assert [int(p.get_width()) for p in ax.patches] == [11, 9, 7, 5, 3, 2, 1]
    assert "终止 lost: 1" in ax.get_xlabel()
    fig.canvas.draw()
    assert glyphless(fig) == []
    assert not [w for w in recwarn if "missing from font" in str(w.message)]


def test_funnel_measures_and_sources(cjk_font, sample_ws):  # noqa: F811
    report = chainmap.pipeline(sample_ws)
    from_report = charts.funnel(report, lang="en")
    from_ws = charts.funnel(sample_ws, lang="en")
    widths = [[p.get_width() for p in f.axes[0].patches] for f in (from_report, from_ws)]
    assert widths[0] == widths[1]
    current = charts.funnel(report, measure="current", lang="zh", title="漏斗")
    ax = current.axes[0]
    assert [int(p.get_width()) for p in ax.patches] == list(report.stages["count"][:7])
    assert ax.get_title() == "漏斗"
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "线索"
    with pytest.raises(ChainmapError, match="unknown funnel measure 'all'"):
        charts.funnel(report, measure="all")
    with pytest.raises(ChainmapError, match="unknown chart language 'fr'"):
        charts.funnel(report, lang="fr")
    with pytest.raises(ChainmapError, match="needs a pipeline report"):
        charts.funnel("L0001")


def test_funnel_of_an_empty_pipeline(cjk_font, tiny, tmp_path):  # noqa: F811
    ws = chainmap.open(tmp_path / "empty.db")
    chainmap.import_dataset(ws, tiny)
    fig = charts.funnel(ws)
    assert [p.get_width() for p in fig.axes[0].patches] == [0] * 7
    charts.save(fig, tmp_path / "empty.png")


def test_gap_bars_name_every_product(cjk_font, report):  # noqa: F811
    fig = charts.gap_bars(report)
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(names) == sorted(report["name"]) and len(names) == len(report)
    by_name = report.set_index("name")
    # grouped by tier, top to bottom; within a tier missing before weak before covered
    order = [(["upstream", "midstream", "downstream"].index(by_name.at[n, "tier"]),
              ["missing", "weak", "covered"].index(by_name.at[n, "status"])) for n in names]
    assert order == sorted(order)
    heads = [t.get_text() for t in ax.texts if not t.get_text().isdigit()]
    assert heads == ["上游 upstream", "中游 midstream", "下游 downstream"]
    # each bar is the product's local producers, in its status' colour
    bars = sorted(ax.patches, key=lambda p: p.get_y())
    assert len(bars) == len(report)
    from matplotlib.colors import to_hex
    for name, bar in zip(names, bars):
        assert to_hex(bar.get_facecolor()) == charts.COLORS[by_name.at[name, "status"]]
        producers = int(by_name.at[name, "local_producers"])
        assert bar.get_width() == pytest.approx(producers) if producers else bar.get_width() < 0.1
    counts = [t.get_text() for t in ax.texts if t.get_text().isdigit()]
    assert counts == [str(by_name.at[n, "local_producers"]) for n in names]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "缺链 missing", "弱链 weak", "已覆盖 covered"]
    assert glyphless(fig) == []
    # English names with lang="en"
    en = charts.gap_bars(report, lang="en").axes[0]
    assert sorted(t.get_text() for t in en.get_yticklabels()) == sorted(report["name_en"])


def test_gap_bars_english_name_missing_falls_back_to_chinese(cjk_font, report, tmp_path):  # noqa: F811
    # a report saved as CSV and read back has NaN where a product has no English name
    path = tmp_path / "gaps.csv"
    report.assign(name_en=[None] + list(report["name_en"][1:])).to_csv(path, index=False)
    back = pd.read_csv(path)
    assert back["name_en"].isna().iloc[0]
    names = [t.get_text() for t in charts.gap_bars(back, lang="en").axes[0].get_yticklabels()]
    assert "nan" not in names
    assert sorted(names) == sorted([report["name"].iloc[0], *report["name_en"][1:]])


def test_gap_bars_legend_only_for_statuses_present(cjk_font, report):  # noqa: F811
    gaps_only = report[report["status"] != "covered"]
    ax = charts.gap_bars(gaps_only, lang="zh").axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["缺链", "弱链"]
    assert len(ax.get_yticklabels()) == len(gaps_only)
    ax = charts.gap_bars(report[report["status"] == "covered"], lang="en").axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["covered"]


def test_gap_bars_untiered_products_and_bad_input(cjk_font, report):  # noqa: F811
    untiered = report.assign(tier=[""] * 2 + list(report["tier"][2:]))
    ax = charts.gap_bars(untiered, lang="en").axes[0]
    heads = [t.get_text() for t in ax.texts if not t.get_text().isdigit()]
    assert heads[-1] == "unspecified"
    with pytest.raises(ChainmapError, match="needs a gap report"):
        charts.gap_bars(report.drop(columns=["tier"]))


def test_save_refuses_other_formats(cjk_font, report, tmp_path):  # noqa: F811
    fig = charts.gap_bars(report)
    with pytest.raises(ChainmapError, match="name the file .png, not 'gaps.jpg'"):
        charts.save(fig, tmp_path / "gaps.jpg")
    with pytest.raises(ChainmapError, match="no such folder"):
        charts.save(fig, tmp_path / "nope" / "gaps.png")


def test_charts_show_as_png_in_jupyter(cjk_font, report):  # noqa: F811
    png = charts.gap_bars(report)._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def no_cjk_font(monkeypatch, tmp_path):
    monkeypatch.delenv("CHAINMAP_CJK_FONT", raising=False)
    monkeypatch.setattr(charts, "CJK_FAMILIES", ())
    monkeypatch.setattr(charts, "_FONT_DIRS", (str(tmp_path / "fonts"),))
    charts.cjk_font.cache_clear()
    yield
    charts.cjk_font.cache_clear()


def test_no_cjk_font_is_a_clear_error(no_cjk_font, sample_ws, run, db):
    with pytest.raises(ChainmapError, match="no font with Chinese glyphs found for charts: "
                                            "install one, e.g. 'apt-get install "
                                            "fonts-wqy-microhei'"):
        charts.funnel(sample_ws)
    run("import", chainmap.sample_path())
    r = run("chart", "funnel", "-o", db.parent / "f.png")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: no font with Chinese glyphs found for charts")
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (db.parent / "f.png").exists()


def test_cjk_font_from_the_environment(monkeypatch, cjk_font):  # noqa: F811
    import matplotlib

    charts.cjk_font.cache_clear()
    try:
        monkeypatch.setenv("CHAINMAP_CJK_FONT", cjk_font[1])
        assert charts.cjk_font() == cjk_font
        charts.cjk_font.cache_clear()
        dejavu = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf"
        monkeypatch.setenv("CHAINMAP_CJK_FONT", dejavu)
        with pytest.raises(ChainmapError, match="has no Chinese glyphs"):
            charts.cjk_font()
        charts.cjk_font.cache_clear()
        monkeypatch.setenv("CHAINMAP_CJK_FONT", "No Such Font")
        with pytest.raises(ChainmapError, match="no such font file or family"):
            charts.cjk_font()
    finally:
        charts.cjk_font.cache_clear()


def test_a_chain_charts_default_title_is_in_the_charts_language(sample_ws):
    from chainmap.cli.report import chart_title

    home = "安徽省/马鞍山市/当涂县"
    assert chart_title(sample_ws, "智能家电", home, "zh") == f"智能家电 · {home}"
    assert chart_title(sample_ws, "smart-appliances", home, "en") == f"Smart appliances · {home}"
    assert chart_title(sample_ws, "智能家电", home, "both") == f"智能家电 Smart appliances · {home}"
    # a chain without an English name keeps its Chinese one in English
    sample_ws.store.conn.execute("UPDATE chains SET name_en = NULL WHERE id = 'biomedicine'")
    again = chainmap.open(sample_ws.store.path)
    assert chart_title(again, "biomedicine", home, "en") == f"生物医药 · {home}"
    assert chart_title(again, "biomedicine", home, "both") == f"生物医药 · {home}"


def test_cli_chart_funnel_and_gaps(cjk_font, run, db):  # noqa: F811
    from PIL import Image

    run("import", chainmap.sample_path())
    out = db.parent / "funnel.png"
    r = run("chart", "funnel", "-o", out)
    assert r.exit_code == 0, r.output
    assert r.stdout == "" and r.stderr == f"Wrote {out}\n"
    assert Image.open(out).format == "PNG"

    out = db.parent / "gaps.png"
    r = run("chart", "gaps", "--chain", "智能家电", "--home", "当涂县", "--lang", "zh", "-o", out)
    assert r.exit_code == 0, r.output
    assert Image.open(out).size[0] > 600
    r = run("chart", "gaps", "--chain", "智能家电", "--home", "当涂县", "-o",
            db.parent / "gaps.svg")
    assert r.exit_code == 1
    assert r.stderr == "Error: charts are written as PNG: name the file .png, not 'gaps.svg'\n"
    r = run("chart", "gaps", "--chain", "没有这个链", "--home", "当涂县", "-o", out)
    assert r.exit_code == 1 and r.stderr.startswith("Error: ")
    r = run("chart", "funnel", "--measure", "all", "-o", out)
    assert r.exit_code == 2


def test_import_chainmap_does_not_import_matplotlib():
    import subprocess
    import sys

    code = ("import sys, chainmap, chainmap.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_a_font_installed_after_matplotlibs_cache_is_found(cjk_font, monkeypatch):  # noqa: F811
    from pathlib import Path

    from matplotlib import font_manager

    family, path = cjk_font
    if not any(Path(path).is_relative_to(Path(d).expanduser()) for d in charts._FONT_DIRS):
        reason = f"the CJK font {path} is not under the folders scanned"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    stale = [f for f in font_manager.fontManager.ttflist if not charts._covers(f.fname, "缺")]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    monkeypatch.delenv("CHAINMAP_CJK_FONT", raising=False)
    charts.cjk_font.cache_clear()
    try:
        found = charts.cjk_font()
        assert charts._covers(found[1])
        assert any(f.fname == found[1] for f in font_manager.fontManager.ttflist)
    finally:
        charts.cjk_font.cache_clear()
