"""Render report frames as table, JSON, CSV or Markdown text (and xlsx files)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from .errors import ChainmapError

__all__ = ["FORMATS", "render", "to_markdown", "to_records", "write_xlsx"]

FORMATS = ("table", "json", "csv", "md")


def _plain(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def to_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts (lists stay lists, NaN becomes null)."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _cell(value: object) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.10g}" if abs(value) < 1e15 else str(value)
    return str(value)


def to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub-style Markdown table (pipes in cells are escaped)."""
    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(_cell(v).replace("|", "\\|").replace("\n", " ") for v in row)
            + " |" for row in frame.itertuples(index=False, name=None)]
    return "\n".join([head, rule, *body])


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def to_table(frame: pd.DataFrame, max_cell: int = 100) -> str:
    """Aligned plain-text table that counts Chinese characters as two columns."""
    cells = [[_clip(_cell(v), max_cell) for v in row]
             for row in frame.itertuples(index=False, name=None)]
    header = [str(c) for c in frame.columns]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(header)]

    def line(values: list[str]) -> str:
        padded = (v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=False))
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in cells)])


def render(frame: pd.DataFrame, fmt: str) -> str:
    """``frame`` as text in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        return json.dumps(to_records(frame), ensure_ascii=False, indent=2)
    if fmt == "csv":
        flat = frame.copy()
        for col in flat.columns:
            if flat[col].map(lambda v: isinstance(v, (list, tuple))).any():
                flat[col] = flat[col].map(lambda v: ";".join(map(str, v))
                                          if isinstance(v, (list, tuple)) else v)
        return flat.to_csv(index=False).rstrip("\n")
    if fmt == "md":
        return to_markdown(frame)
    if fmt == "table":
        return to_table(frame) if len(frame) else "(no rows)"
    raise ChainmapError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write one sheet per frame to an ``.xlsx`` workbook (lists joined by ``;``)."""
    from .io.write import _atomic

    path = Path(path)

    def write(tmp: str) -> None:
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        for name, frame in sheets.items():
            sheet = book.create_sheet(str(name)[:31])
            sheet.append([str(c) for c in frame.columns])
            for row in frame.itertuples(index=False, name=None):
                sheet.append([";".join(map(str, v)) if isinstance(v, (list, tuple))
                              else _plain(v) for v in row])
        book.save(tmp)

    _atomic(path, write)
    return path


#: Chinese headers and values for ``--lang zh``.
HEADERS_ZH = {
    "product": "产品编号", "name": "名称", "name_en": "英文名称", "tier": "环节",
    "status": "状态", "local_producers": "本地生产企业数", "local_demand": "本地需求企业数",
    "n_candidates": "候选企业数", "candidates": "候选企业", "local_firms": "本地生产企业",
    "explanation": "说明", "company": "企业编号", "region": "地区", "revenue": "营业收入(万元)",
    "rank": "排名", "why": "理由", "is_lead": "已是线索", "chain": "产业链",
    "products": "产品数", "severity": "级别", "check": "检查项", "table": "表", "id": "编号",
    "message": "内容", "supplies_local": "已供应本地企业",
    # targets, anchor, metrics, impact
    "local_customers": "本地客户", "used_for": "用于产品", "in_house": "自产",
    "known_supplier": "有已知供应商", "suppliers": "已知供应商", "where": "所在地",
    "supplied": "供应产品", "firm": "企业", "home": "本地区域", "input_products": "投入品数",
    "supported": "本地可配套数", "supporting_rate": "本地配套率", "definition": "口径",
    "covered": "已覆盖数", "weak": "弱链数", "missing": "缺链数", "completeness": "完整度",
    "before": "变化前", "after": "变化后", "local_producers_before": "变化前本地生产企业数",
    "local_producers_after": "变化后本地生产企业数", "changed": "状态变化",
    "customer": "客户编号", "product_name": "产品名称", "effect": "影响",
}
VALUES_ZH = {
    "missing": "缺链", "weak": "弱链", "covered": "已覆盖", "upstream": "上游",
    "midstream": "中游", "downstream": "下游", "error": "错误", "warning": "警告",
    "unspecified": "未分环节", "overall": "全链", "local": "本地", "targets": "目标地区",
    "elsewhere": "其他地区", "loses its only local supplier": "失去唯一本地供应商",
    "gains its first local supplier": "获得首个本地供应商",
}
#: Columns whose values :func:`localize` translates with :data:`VALUES_ZH`.
LOCALIZED_COLUMNS = ("status", "tier", "severity", "before", "after", "where", "effect")


def localize(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with Chinese headers and status/tier values when ``lang == 'zh'``."""
    if lang != "zh":
        return frame
    out = frame.copy()
    for col in LOCALIZED_COLUMNS:
        if col in out.columns:
            out[col] = out[col].map(lambda v: VALUES_ZH.get(v, v))
    return out.rename(columns=HEADERS_ZH)
