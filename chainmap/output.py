"""Render report frames as table, JSON, CSV or Markdown text, in English or Chinese.

This module writes no file: :mod:`chainmap.files` does (``write_xlsx`` for workbooks).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .errors import ArgumentError
from .files import inert_csv
from .files import plain_value as _plain
from .i18n import _, label, labels, pgettext
from .labels import SEVERITY_ZH, STAGE_ZH, STATUS_ZH, TIER_ZH

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["FORMATS", "HEADERS_ZH", "NAMED_ID_COLUMNS", "PROSE_COLUMNS", "REQUEST_HEADERS",
           "SHEETS_ZH", "SUPERVISE_HEADERS", "VALUES_ZH", "VISIT_HEADERS", "cell_text",
           "code_words", "for_people", "id_names", "list_names", "localize", "markdown_text",
           "percent_text", "render", "report_html", "result_html", "rounded", "show",
           "table_html", "to_markdown", "to_records", "visible", "whole_numbers",
           "without_named_ids"]

FORMATS = ("table", "json", "csv", "md")


def to_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts (lists stay lists; NaN and ±inf become null)."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def cell_text(value: object) -> str:
    """A value as the text tables show it: ``""`` for a missing one, ``1500`` not ``1500.0``.

    Examples
    --------
    >>> [cell_text(v) for v in (None, float("nan"), 1500.0, 1.25, ["a", "b"], "x")]
    ['', '', '1500', '1.25', 'a, b', 'x']
    """
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.10g}" if abs(value) < 1e15 else str(value)
    return str(value)


def table_html(frame: pd.DataFrame) -> str:
    """``frame`` as an HTML table for a notebook, each cell as text tables show it.

    A missing value is a blank cell (not ``None``, ``NaN`` or ``<NA>``), ``20`` not
    ``20.0``, a list ``a, b`` (:func:`cell_text`); cells and headers are escaped, so a
    firm called ``<img src=x onerror=...>`` is text.

    Examples
    --------
    >>> import pandas as pd
    >>> print(table_html(pd.DataFrame({"n": [20.0, None], "名称": ["<b>", None]})))
    ... # doctest: +NORMALIZE_WHITESPACE
    <table border="1" class="dataframe">
      <thead>
        <tr style="text-align: right;">
          <th>n</th>
          <th>名称</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>20</td>
          <td>&lt;b&gt;</td>
        </tr>
        <tr>
          <td></td>
          <td></td>
        </tr>
      </tbody>
    </table>
    """
    return frame.astype(object).map(cell_text).to_html(index=False, escape=True)


def report_html(sheets: Mapping[str, pd.DataFrame], lang: str | None = None, *,
                heading: str | None = None, sentence: str | None = None,
                titles: Mapping[str, str] | None = None) -> str:
    """A report's tables as a notebook shows them (what its ``_repr_html_`` returns).

    The ``heading`` (``<h3>``) and the ``sentence`` (``<p>``) first when given, then each
    table under its title: ``titles[name]``, else its ``sheet`` label in ``lang``
    (阶段转化率, ``Stage conversion``; the command line heads English tables by their
    names, ``[conversion]``). Headers and code
    values are for people in ``lang`` (:func:`localize`: 阶段, 签约, 是/否, 50.0%),
    cells as :func:`table_html` writes them; everything is escaped.

    Parameters
    ----------
    sheets : mapping of str to DataFrame
        The report's frames (English columns and codes) by name, in report order.
    lang : str or None
        ``en`` or ``zh``; ``None``, the current language
        (:func:`chainmap.i18n.language`).
    heading, sentence : str or None
        A title and a sentence to show before the tables.
    titles : mapping of str to str or None
        Titles of some tables, for reports whose table names are not ``sheet`` labels.

    Examples
    --------
    >>> import pandas as pd
    >>> page = report_html({"stages": pd.DataFrame({"stage": ["signed"], "count": [2.0]})},
    ...                    "zh", heading="<周报>")
    >>> page.startswith("<h3>&lt;周报&gt;</h3><h4>阶段</h4>")
    True
    >>> "<th>阶段</th>" in page and "<td>签约</td>" in page and "<td>2</td>" in page
    True
    """
    from html import escape

    from .i18n import language

    lang = lang or language()
    parts = [f"<h3>{escape(heading)}</h3>"] if heading else []
    if sentence:
        parts.append(f"<p>{escape(sentence)}</p>")
    for name, frame in sheets.items():
        title = (titles or {}).get(name) or label("sheet", name, lang)
        parts.append(f"<h4>{escape(title)}</h4>{table_html(localize(rounded(frame), lang))}")
    return "".join(parts)


def result_html(lines: list[str], sheets: Mapping[str, pd.DataFrame] | None = None,
                titles: Mapping[str, str] | None = None) -> str:
    """What a write returned, for a notebook: its sentence, its other lines, its tables.

    The first of ``lines`` as a paragraph, the others as a list (what an import warned
    of, what a merge moves), then ``sheets`` as :func:`report_html` shows them in the
    current language; everything escaped.

    Examples
    --------
    >>> result_html(["added 2 lead(s)", "<note>"])
    '<p>added 2 lead(s)</p><ul><li>&lt;note&gt;</li></ul>'
    """
    from html import escape

    page = f"<p>{escape(lines[0])}</p>" if lines else ""
    if lines[1:]:
        page += "<ul>" + "".join(f"<li>{escape(line.strip())}</li>" for line in lines[1:]) \
            + "</ul>"
    return page + (report_html(sheets, titles=titles) if sheets else "")


#: The ``column`` label of ``kind`` (and ``text``) in a report of requests: 诉求类型, not
#: 方式 (:func:`code_words`).
REQUEST_HEADERS = {"kind": "request_kind", "text": "request_text"}
#: The ``column`` label of ``kind`` in a report of visits: 走访方式.
VISIT_HEADERS = {"kind": "visit_kind"}
#: The ``column`` labels of :func:`chainmap.supervise`'s ``kind``, ``since`` and ``text``:
#: 督办类型, 起算日期, 诉求内容.
SUPERVISE_HEADERS = {"kind": "item_kind", "since": "since_date", "text": "request_text"}


#: The words of ``kind``, ``text`` and ``since`` in the frames where they mean something
#: of their own, told by a column only those frames have: :func:`chainmap.supervise`
#: (``escalate_to``: 督办类型, 起算日期) and :func:`chainmap.list_requests` (``close_note``:
#: 诉求类型), as their commands head them.
OWN_HEADERS = (("escalate_to", SUPERVISE_HEADERS), ("close_note", REQUEST_HEADERS))


class Shown:
    """A frame displayed as the command line prints it (what :func:`show` returns)."""

    def __init__(self, frame: pd.DataFrame, title: str | None, lang: str | None) -> None:
        self.frame, self.title, self.lang = frame, title, lang

    def _people(self) -> pd.DataFrame:
        from .i18n import language

        lang = self.lang or language()
        headers = next((words for column, words in OWN_HEADERS
                        if column in self.frame.columns), None)
        return localize(code_words(rounded(self.frame), lang, headers), lang)

    def _repr_html_(self) -> str:
        from html import escape

        head = f"<h4>{escape(self.title)}</h4>" if self.title else ""
        return head + table_html(self._people())

    def __repr__(self) -> str:
        """The text table (:func:`render`), under the title when there is one."""
        table = render(self._people(), "table")
        return f"{self.title}\n{table}" if self.title else table


def show(frame: pd.DataFrame, title: str | None = None, lang: str | None = None) -> Shown:
    """``frame`` for a notebook, as the command line prints it: for people, not programs.

    The library's frames keep English columns, codes and missing values (``None``,
    ``NaN``) for code to use; displayed, ``show(frame)`` reads as the command's table:
    a blank cell for a missing value, ``28`` not ``28.0``, lists as ``a, b``, and in
    ``lang`` (default: the current language) Chinese headers and code words under
    ``zh`` (签约, 红灯, 用工, 是/否, 50.0%). ``frame`` itself is unchanged.

    Parameters
    ----------
    frame : DataFrame
        Any frame the library returns (``supervise``, ``project_delivery`` ...).
    title : str or None
        A heading above the table.
    lang : str or None
        ``en`` or ``zh``; ``None``, the current language.

    Returns
    -------
    Shown
        What Jupyter displays (``_repr_html_``); its ``repr`` is the text table.

    Examples
    --------
    >>> import pandas as pd
    >>> shown = show(pd.DataFrame({"stage": ["signed"], "investment": [28.0],
    ...                            "leader": [None]}), lang="zh")
    >>> print(repr(shown))
    阶段  投资额(亿元)  联系领导
    ----  ------------  --------
    签约  28
    """
    return Shown(frame, title, lang)


#: Columns of the after-signing reports whose values are codes with a ``value`` label
#: (:func:`code_words`).
CODE_COLUMNS = ("kind", "request_kind", "light")


def code_words(frame: pd.DataFrame, lang: str,
               headers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``frame`` with its codes as words under ``zh``: the after-signing reports.

    ``kind``, ``request_kind`` and ``light`` take their ``value`` labels, the list of
    ``flags`` its labels joined by 、, and the columns of ``headers`` the name whose
    ``column`` label they take (``kind`` -> ``request_kind``, 诉求类型). Headers and
    other values are then translated by :func:`localize`, and workbooks format columns
    by those names. ``en`` gives ``frame`` itself.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"kind": ["land"], "flags": [["not_started", "below_output"]]})
    >>> code_words(frame, "zh", {"kind": "request_kind"}).to_dict("records")
    [{'request_kind': '土地', 'flags': '签而未动、未达产'}]
    """
    if lang != "zh":
        return frame
    out = frame.copy()
    for column in CODE_COLUMNS:
        if column in out.columns:
            out[column] = out[column].map(
                lambda v: label("value", v, "zh") if isinstance(v, str) else v)
    if "flags" in out.columns:
        out["flags"] = out["flags"].map(
            lambda flags: "、".join(label("value", f, "zh") for f in flags or []))
    return out.rename(columns={c: key for c, key in (headers or {}).items()
                               if c in out.columns})


#: Characters a terminal or a Markdown renderer would act on rather than show: C0 and C1
#: controls (ESC starts a colour or cursor sequence), DEL, bidi controls (U+202E turns text
#: around), zero-width characters and the byte-order mark. :func:`visible` writes them as
#: escapes (``\x1b``, ``\u202e``).
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029"
                        "\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    r"""``text`` with control, bidi and zero-width characters written as escapes.

    For text printed to a terminal: a firm name cannot colour the screen, move the cursor
    or turn the rest of the line around.

    Examples
    --------
    >>> visible("\x1b[31mred\u202eabc\u200d")
    '\\x1b[31mred\\u202eabc\\u200d'
    """
    return _INVISIBLE.sub(_escape, text) if not text.isprintable() else text


#: Markdown that a renderer would act on: HTML (``<img onerror>``), entities, link and
#: image syntax (``[x](javascript:...)``, ``![x](...)``, ``[x][ref]``, ``<http://...>``),
#: emphasis, code and strike-through (``*ST康美*``, a backtick, ``~~``), table pipes and
#: the backslash itself. An underscore only where it could open or close emphasis (not
#: between two letters or digits: ``local_firms`` stays, ``__init__`` does not).
#: Parentheses and ``!`` stay as typed: CommonMark makes a link or an image only of an
#: unescaped ``[`` ... ``]`` (``(`` starts a destination only right after one, ``!`` an
#: image only right before one), and both brackets are escaped. A cell is inline text
#: inside a table row (it never starts a line), so no block syntax (``#``, ``>``,
#: ``1)``, ``-``) applies.
_MARKDOWN = {"\\": "\\\\", "|": "\\|", "[": "\\[", "]": "\\]", "*": "\\*", "`": "\\`",
             "~": "\\~", "_": "\\_", "<": "&lt;", ">": "&gt;", "&": "&amp;", "\r\n": " ",
             "\n": " ", "\r": " "}
_MARKDOWN_RE = re.compile("\r\n|[\\\\|\\[\\]*`~<>&\r\n]|(?<![^\\W_])_|_(?![^\\W_])")


def markdown_text(text: str) -> str:
    r"""``text`` as a Markdown table cell that a renderer shows as written.

    HTML is escaped (``<`` ``&lt;``, ``&`` ``&amp;``), link and image brackets,
    emphasis, code and strike-through signs (``*``, a backtick, ``~``, an underscore
    that is not between two letters or digits) and pipes get a backslash, line breaks
    become spaces and control, bidi and zero-width characters are escaped as in
    :func:`visible`. Nothing else gets a backslash: a name with parentheses or ``!``
    (``上海某(集团)有限公司!``) reads as typed in the Markdown source too, since without
    an unescaped bracket they make no link or image.

    Examples
    --------
    >>> markdown_text("<img src=x onerror=alert(1)> [x](javascript:alert(1)) a|b")
    '&lt;img src=x onerror=alert(1)&gt; \\[x\\](javascript:alert(1)) a\\|b'
    >>> markdown_text("*ST康美 _new_ local_firms ~~x~~")
    '\\*ST康美 \\_new\\_ local_firms \\~\\~x\\~\\~'
    >>> print(markdown_text("上海某(集团)有限公司！ ![logo](x.png)"))
    上海某(集团)有限公司！ !\[logo\](x.png)
    """
    return visible(_MARKDOWN_RE.sub(lambda m: _MARKDOWN[m.group()], text))


def to_markdown(frame: pd.DataFrame) -> str:
    """A GitHub-style Markdown table whose cells show as text (:func:`markdown_text`)."""
    head = "| " + " | ".join(markdown_text(str(c)) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(markdown_text(cell_text(v)) for v in row)
            + " |" for row in frame.itertuples(index=False, name=None)]
    return "\n".join([head, rule, *body])


@functools.lru_cache(maxsize=1 << 16)
def _width(text: str) -> int:
    """Terminal columns of ``text``: two for each wide (Chinese) character, else one."""
    if text.isascii():
        return len(text)
    import unicodedata

    wide = unicodedata.east_asian_width
    # no character before U+1100 is wide or full-width
    return len(text) + sum(1 for ch in text if ch >= "\u1100" and wide(ch) in "WF")


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
    """Aligned plain-text table that counts Chinese characters as two columns.

    Control, bidi and zero-width characters of cells and headers are shown as escapes
    (:func:`visible`), never sent to the terminal. A cell wider than ``max_cell``
    columns is cut, with ``…``.

    Made a column at a time: each distinct value of a column of numbers or of a
    column of text with few distinct values is written and padded once; a column of
    many distinct texts is measured as a whole (see :func:`_column_cells`).

    Examples
    --------
    >>> import pandas as pd
    >>> print(to_table(pd.DataFrame({"id": ["L1", "L2"], "名称": ["压缩机", None],
    ...                              "n": [1.5, float("nan")]})))
    id  名称    n
    --  ------  ---
    L1  压缩机  1.5
    L2
    """
    import numpy as np

    header = [visible(str(c)) for c in frame.columns]
    columns = [_column_cells(frame.iloc[:, k], max_cell) for k in range(frame.shape[1])]
    widths = [max(_width(h), max(used, default=0)) for h, (_texts, used, _codes) in
              zip(header, columns, strict=True)]
    rule = "  ".join("-" * w for w in widths)
    head = "  ".join(h + " " * (w - _width(h)) for h, w in zip(header, widths, strict=True))
    if not len(frame):
        return "\n".join([head.rstrip(), rule])
    cells = []
    for k, ((texts, used, codes), width) in enumerate(zip(columns, widths, strict=True)):
        if k < len(columns) - 1:  # the last one is not padded: each line is cut anyway
            texts = [t + " " * (width - u) for t, u in zip(texts, used, strict=True)]
        cells.append(texts if codes is None else np.asarray(texts, dtype=object)[codes]
                     .tolist())
    lines = map(str.rstrip, map("  ".join, zip(*cells, strict=True)))
    return "\n".join([head.rstrip(), rule, *lines])


#: A column of text with more distinct values than this share of its first rows is
#: written value by value; one with fewer, each distinct value once.
_DISTINCT_SHARE = 0.5


def _column_cells(column: pd.Series, max_cell: int,
                  ) -> tuple[list[str], list[int], np.ndarray | None]:
    """The cells of ``column`` as :func:`to_table` shows them, their widths, their codes.

    Each cell is ``_clip(visible(cell_text(value)), max_cell)`` of the value the column
    gives when iterated (what ``itertuples`` gives), as it was made one cell at a
    time. A column of numbers, booleans or text with few distinct values is made
    from its distinct values (``pandas.factorize``): then the texts are those of the
    distinct values, the missing value last, and ``codes`` picks each row's (-1 the
    last). A column of many distinct texts is made as a whole list (``codes`` is
    ``None``); anything else (lists, dates, mixed objects) cell by cell.
    """
    import numpy as np
    import pandas as pd

    text = isinstance(column.dtype, pd.StringDtype)  # pandas' str: text, NaN or NA
    values = column.to_numpy() if isinstance(column.dtype, np.dtype) or text else \
        np.empty(0, dtype="M8[ns]")  # another kind: made cell by cell
    kind: str = values.dtype.kind
    if kind == "O":
        inferred = pd.api.types.infer_dtype(values, skipna=True)
        if inferred not in ("string", "empty"):
            kind = ""  # lists, numbers or other objects in an object column
    elif kind == "f" and bool((np.signbit(values) & (values == 0)).any()):
        kind = ""  # -0.0 shows as -0, but factorize takes it for 0.0
    elif kind not in ("i", "u", "b", "f"):
        kind = ""
    if not kind:
        texts = [_clip(visible(cell_text(v)), max_cell) for v in column]
        return texts, [_width(t) for t in texts], None
    if kind == "O":
        items = values.tolist()
        sample = items[:2000]
        if len(set(sample)) > _DISTINCT_SHARE * len(sample):
            return (*_text_cells([v if v.__class__ is str else cell_text(v) for v in items],
                                 max_cell), None)
    codes, uniques = pd.factorize(values)
    # the missing value (NaN, None) last: code -1 picks it
    return (*_text_cells([*(cell_text(v) for v in uniques.tolist()), ""], max_cell), codes)


def _text_cells(texts: list[str], max_cell: int) -> tuple[list[str], list[int]]:
    """``texts`` made visible and clipped to ``max_cell`` columns, and their widths."""
    if not all(map(str.isprintable, texts)):
        texts = [visible(t) for t in texts]
    used = _widths(texts)
    if max(used, default=0) > max_cell:
        texts = [_clip(t, max_cell) if u > max_cell else t for t, u in zip(texts, used,
                                                                               strict=True)]
        used = [_width(t) if u > max_cell else u for t, u in zip(texts, used, strict=True)]
    return texts, used


def _widths(texts: list[str]) -> list[int]:
    """:func:`_width` of each of ``texts``, found for the whole list at once.

    The characters of all texts as one array of code points; each distinct one
    looked up once (wide or not); the wide ones of each text counted by a running sum.
    """
    import unicodedata

    import numpy as np

    joined = "".join(texts)
    if joined.isascii():
        return list(map(len, texts))
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    table = np.zeros(0x110000, dtype=bool)
    table[points] = True
    wide = [c for c in np.flatnonzero(table[0x1100:]).tolist()
            if unicodedata.east_asian_width(chr(c + 0x1100)) in "WF"]
    table[:] = False
    table[np.asarray(wide, dtype=np.int64) + 0x1100] = True
    counted = np.concatenate([[0], np.cumsum(table[points], dtype=np.int64)])
    starts = np.concatenate([[0], ends[:-1]])
    return (ends - starts + counted[ends] - counted[starts]).tolist()


def render(frame: pd.DataFrame, fmt: str) -> str:
    """``frame`` as text in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        # to_records makes NaN and inf null: allow_nan=False only guards that promise
        return json.dumps(to_records(frame), ensure_ascii=False, indent=2, allow_nan=False)
    if fmt == "csv":
        flat = frame.copy()
        for col in flat.columns:
            # only object columns can hold lists; their cells' types gathered in C, not
            # a test per cell (a report of 100,000 rows has a million cells)
            if flat[col].dtype == object and any(
                    issubclass(kind, (list, tuple)) for kind in set(map(type, flat[col]))):
                flat[col] = flat[col].map(lambda v: ";".join(map(str, v))
                                          if isinstance(v, (list, tuple)) else v)
        return str(inert_csv(flat)).rstrip("\n")
    if fmt == "md":
        return to_markdown(frame)
    if fmt == "table":
        return to_table(frame) if len(frame) else _("(no rows)")
    raise ArgumentError(_("unknown format '{format}'; use one of {formats}").format(
        format=fmt, formats=", ".join(FORMATS)))


#: Chinese headers for ``--lang zh``: the analysis reports and the pipeline report (the
#: ``column`` labels of the message catalogue, :mod:`chainmap.i18n`).
HEADERS_ZH = labels("column")
#: Chinese values for ``--lang zh``, in the columns :data:`LOCALIZED_COLUMNS`: statuses,
#: tiers, severities and the ``value`` labels of the catalogue (``local`` -> 本地 ...).
VALUES_ZH = {**STATUS_ZH, **TIER_ZH, **SEVERITY_ZH, **labels("value")}
#: Columns of sentences made in the language of the moment the report was built
#: (:func:`chainmap.i18n.language`), not codes: a gap's explanation, a target's reasons,
#: the anchor's definition (口径), an impact's effect.
PROSE_COLUMNS = ("explanation", "why", "definition", "effect")
#: Columns whose values :func:`localize` translates with :data:`VALUES_ZH`.
LOCALIZED_COLUMNS = ("status", "tier", "severity", "before", "after", "where", "effect",
                     "kind", "reason", "year")
#: Columns whose values are codes with their own kind of label in the catalogue: a
#: dataset table (``companies`` -> 企业), what an audit-log row is about (``lead`` ->
#: 线索), what was done (``move`` -> 推进阶段), a classify suggestion's grade
#: (``strong`` -> 强) and the field its text came from (``scope`` -> 经营范围), and a
#: data-quality finding's check (``idle-firm`` -> 无产品的企业).
LABEL_COLUMNS = {"table": "table", "entity": "entity", "action": "action",
                 "evidence": "evidence", "field": "field", "check": "check"}
#: Columns whose values are lead stages (translated with :data:`chainmap.labels.STAGE_ZH`).
STAGE_COLUMNS = ("stage", "from_stage", "to_stage")
#: The pipeline's target-region bucket outside 上海/江苏/浙江.
_REGION_ZH = {"other": label("value", "other", "zh")}
#: The owner or chain of the leads without one, in the pipeline and weekly reports.
_NONE_ZH = {"(none)": label("value", "(none)", "zh")}
#: Where a lead came from (a lead's ``source``: 缺链分析, 以商招商, 活动, 其他), as the lead
#: card shows it; only these codes, since a firm's ``source`` is the file it came from.
_SOURCE_ZH = {s: label("value", s, "zh") for s in ("gap", "referral", "event", "other")}


def localize(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` as text for people in ``lang``: under ``zh`` Chinese headers and values.

    Headers from :data:`HEADERS_ZH`; status, tier and the like from :data:`VALUES_ZH`;
    lead stages (``signed`` -> ``签约``) in :data:`STAGE_COLUMNS`; a column ``x_zh``
    beside ``x`` (``stage_zh``, ``measure_zh``) gives ``x`` its values and is dropped;
    the region ``other`` becomes ``其他`` and an owner or chain ``(none)`` ``（无）``;
    yes/no columns read 是/否 and shares (:data:`COLUMN_KINDS` ``percent``) ``50.0%``.
    The one translation of every report printed as a table or Markdown, the pipeline's
    included (workbooks and CSV go through :func:`for_people`, which keeps shares as
    numbers for the workbook). ``en`` gives ``frame`` itself.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"status": ["weak"], "supporting_rate": [0.5],
    ...                       "is_lead": [True]})
    >>> localize(frame, "zh").to_dict("records")
    [{'状态': '弱链', '本地配套率': '50.0%', '已是线索': '是'}]
    """
    if lang != "zh":
        return frame
    out = _yes_no(frame, YES_NO["zh"])
    for col in out.columns:
        if COLUMN_KINDS.get(col) == "percent":
            out[col] = out[col].map(_percent)
    return _translate(out, lang)


def _translate(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Headers and code values of ``frame`` in ``lang`` (numbers and booleans as they are)."""
    if lang != "zh":
        return frame
    out = frame.copy()
    for col in [c for c in out.columns if c.endswith("_zh") and c[:-3] in out.columns]:
        out[col[:-3]] = out.pop(col)
    for col in LOCALIZED_COLUMNS:
        if col in out.columns:
            out[col] = out[col].map(lambda v: VALUES_ZH.get(v, v))
    for col in STAGE_COLUMNS:
        if col in out.columns:
            out[col] = out[col].map(lambda v: STAGE_ZH.get(v, v))
    for col, kind in LABEL_COLUMNS.items():
        if col in out.columns:
            words = labels(kind, lang)
            out[col] = out[col].map(lambda v, words=words: words.get(v, v)
                                    if isinstance(v, str) else v)
    if "region" in out.columns:
        out["region"] = out["region"].replace(_REGION_ZH)
    for col in (c for c in ("owner", "chain") if c in out.columns):  # a lead without one
        out[col] = out[col].replace(_NONE_ZH)
    if "source" in out.columns:
        out["source"] = out["source"].map(lambda v: _SOURCE_ZH.get(v, v)
                                          if isinstance(v, str) else v)
    return out.rename(columns=HEADERS_ZH)


def _yes_no(frame: pd.DataFrame, words: tuple[str, str]) -> pd.DataFrame:
    """A copy of ``frame`` whose columns of booleans read ``words`` (yes, no)."""
    out = frame.copy()
    for col in out.columns:
        values = [_plain(v) for v in out[col]]
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, bool) for v in present):
            out[col] = [v if v is None else words[0] if v else words[1] for v in values]
    return out


def _percent(value: object) -> object:
    """A share as text such as ``23.9%``; a missing share is an empty cell."""
    value = _plain(value)
    return "" if value is None else f"{float(value):.1%}" \
        if isinstance(value, (int, float)) else value


#: Sheet names of the report workbooks under ``--lang zh`` (``sheet`` labels).
SHEETS_ZH = labels("sheet")
#: How workbooks write report columns (by English name; see
#: :func:`chainmap.files.write_xlsx`): 亿元 ``money``, shares ``percent``, counts ``count``,
#: 万元 ``amount``, days ``date``, ids ``text``. Integer columns are counts anyway.
COLUMN_KINDS = {
    **dict.fromkeys(("investment", "signed_investment"), "money"),
    **dict.fromkeys(("rate", "supporting_rate", "completeness"), "percent"),
    **dict.fromkeys(("revenue",), "amount"),
    **dict.fromkeys(("proximity", "rca", "density", "pci", "cog", "score"), "decimal"),
    **dict.fromkeys(("count", "leads", "open", "signed", "projects", "reached_from",
                     "reached_to", "stays", "days_to_start", "days_overdue", "days_idle",
                     "rank", "local_producers", "local_demand", "n_candidates",
                     "input_products", "supported", "covered", "weak", "missing",
                     "local_producers_before", "local_producers_after"), "count"),
    **dict.fromkeys(("contract_date", "start_date", "production_date", "since", "created",
                     "due", "last_touch", "date"), "date"),
    **dict.fromkeys(("id", "company", "product", "customer", "firm", "lead", "lead_id",
                     "entity_id", "uscc", "year"), "text"),
    # the bulletin of signed projects (report signed): its period and size bands
    **dict.fromkeys(("start", "end", "as_of"), "date"),
    "band": "money",
    # after signing (chainmap.crm.service, .delivery, .supervise)
    **dict.fromkeys(("invested", "output", "actual_output", "intensity", "output_per_mu",
                     "actual_output_per_mu", "tax_per_mu", "actual_tax_per_mu"), "money"),
    **dict.fromkeys(("tax", "actual_tax"), "amount"),
    **dict.fromkeys(("invested_share", "close_rate", "on_time_rate"), "percent"),
    **dict.fromkeys(("total", "closed", "closed_on_time", "still_open", "open_requests",
                     "visits", "firms", "notes", "days", "limit", "default", "jobs",
                     "actual_jobs"), "count"),
    **dict.fromkeys(("closed_date", "last_visit", "start_by", "produce_by", "actual_date",
                     "since_date"), "date"),
}
#: The decimals people read of a ``decimal`` column (:data:`COLUMN_KINDS`: proximity,
#: rca, density, pci, cog, score) in a table, Markdown or a notebook view.
DECIMALS = 2


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its numbers rounded as people read them, in either language.

    ``decimal`` columns to two decimals (``0.5714285714`` reads ``0.57``) and shares
    (``percent`` columns: completeness, rates) as text such as ``36.4%``
    (``0.3636363636`` read so in English too), as the Chinese table shows them. For
    tables, Markdown and notebook views; the frame a function returns, JSON and CSV keep
    every digit, and a workbook keeps them in the cell under the number format ``0.00``
    or ``0.0%``. Other columns are as they are; ``frame`` itself is unchanged.

    Examples
    --------
    >>> import pandas as pd
    >>> rounded(pd.DataFrame({"proximity": [4 / 7, None], "regions": [3, 1]})).to_dict("list")
    {'proximity': [0.57, nan], 'regions': [3, 1]}
    >>> rounded(pd.DataFrame({"completeness": [4 / 11, 1.0, None]}))["completeness"].tolist()
    ['36.4%', '100.0%', '']
    """
    import pandas as pd

    columns = [c for c in frame.columns if COLUMN_KINDS.get(c) == "decimal"
               and pd.api.types.is_float_dtype(frame[c])]
    shares = [c for c in frame.columns if COLUMN_KINDS.get(c) == "percent"
              and pd.api.types.is_numeric_dtype(frame[c])
              and not pd.api.types.is_bool_dtype(frame[c])]
    if not columns and not shares:
        return frame
    out = frame.copy()
    for column in columns:
        out[column] = out[column].round(DECIMALS)
    for column in shares:
        out[column] = out[column].map(_percent)
    return out


#: Report columns of firm ids (lists) that people read as firm names. (The anchor
#: report's ``suppliers`` are named by ``supplier_names`` beside them:
#: :data:`NAMED_ID_COLUMNS`.)
FIRM_LIST_COLUMNS = ("candidates", "local_firms", "local_customers")
#: Report columns of lists of names (not ids): shown as the named lists are.
NAME_LIST_COLUMNS = ("supplier_names",)
#: Report columns of id lists with their names beside them (the anchor report's
#: ``suppliers``, named by ``supplier_names``): what people read (workbooks, Chinese
#: CSV, tables, Markdown, notebook views) shows the names only; the frame, JSON and
#: English CSV keep both.
NAMED_ID_COLUMNS = {"suppliers": "supplier_names"}


def without_named_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the id lists whose names stand beside them (:data:`NAMED_ID_COLUMNS`).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"product": ["eev"], "suppliers": [["s1"]],
    ...                       "supplier_names": [["上海阀门厂"]]})
    >>> list(without_named_ids(frame).columns)
    ['product', 'supplier_names']
    """
    drop = [ids for ids, names in NAMED_ID_COLUMNS.items()
            if ids in frame.columns and names in frame.columns]
    return frame.drop(columns=drop) if drop else frame
#: Report columns of product ids (one or a list) that people read as product names.
PRODUCT_NAME_COLUMNS = ("used_for", "supplied")
#: Yes and no, by language, for columns of booleans in workbooks and Chinese CSV.
YES_NO = {lang: (label("word", "yes", lang), label("word", "no", lang)) for lang in ("en", "zh")}


def id_names(workspace: Any, sheets: Mapping[str, pd.DataFrame] | None = None,
             most: int | None = None) -> dict[str, dict[str, str]]:
    """The names of the workspace's firms, products and chains by id.

    Parameters
    ----------
    workspace
        A :class:`chainmap.Workspace` (not imported here: this low module imports none
        of the higher ones).
    sheets
        Report frames: only the ids that :func:`for_people` names in them are looked up
        (by id: a gap report at a million firms names a few thousand), not every record.
    most
        Of a list, only the first ``most`` ids (those :func:`for_people` shows with the
        same ``most``).

    Returns
    -------
    dict
        ``{"company": {id: name}, "product": {...}, "chain": {...}}``.
    """
    tables = {"company": "companies", "product": "products", "chain": "chains"}
    if sheets is None:
        return {key: dict(zip(t["id"], t["name"], strict=True))
                for key, t in ((key, workspace._table(table)) for key, table in tables.items())}
    wanted: dict[str, set] = {key: set() for key in tables}
    for frame in sheets.values():
        for key, columns in (("company", FIRM_LIST_COLUMNS),
                             ("product", (*PRODUCT_NAME_COLUMNS, *_unnamed_product(frame))),
                             ("chain", ("chain",))):
            for col in (c for c in columns if c in frame.columns):
                for value in frame[col]:
                    if isinstance(value, (list, tuple)):
                        wanted[key].update(v for v in value[:most] if isinstance(v, str))
                    elif isinstance(value, str):
                        wanted[key].add(value)
    return {key: workspace._names(tables[key], ids) if ids else {}
            for key, ids in wanted.items()}


def _unnamed_product(frame: pd.DataFrame) -> tuple[str, ...]:
    """``("product",)`` when ``frame`` has a product id column and no name beside it.

    A list of projects: :func:`for_people` adds ``product_name``. Else nothing.
    """
    columns = set(frame.columns)
    return ("product",) if "product" in columns and not columns & {"product_name", "name"} \
        else ()


#: The most names a list of firms or products shows in one workbook cell; the rest are
#: counted (a cell holds 32,767 characters: a gap report at a million firms lists
#: thousands of candidates, all of them in its CSV and JSON).
WORKBOOK_LIST_MOST = 100


def for_people(sheets: Mapping[str, pd.DataFrame], lang: str,
               names: Mapping[str, Mapping[str, str]] | None = None, *,
               yes_no: bool = True, most: int | None = None,
               ) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, str]]]:
    """Report frames as a person reads them: names for ids, 是/否, the chosen language.

    Lists of firm ids (:data:`FIRM_LIST_COLUMNS`) become firm names (joined by 、 under
    ``zh``), product ids in
    :data:`PRODUCT_NAME_COLUMNS` product names and the ``chain`` column (where no
    ``chain_name`` stands beside it) chain names; the id columns a program joins on
    (``product``, ``company``, ``id`` ...) stay, and a ``product`` column with no name
    beside it (a list of projects) gets ``product_name`` after it. Booleans become 是/否
    (``yes``/``no`` in English) when ``yes_no``; then :func:`localize` translates headers and values
    (without making shares text) and sheet names take :data:`SHEETS_ZH` under ``zh``.

    Parameters
    ----------
    sheets
        The report's frames by sheet name (English columns, as the library returns).
    lang
        ``en`` or ``zh``.
    names
        :func:`id_names` of the workspace; without it ids stay.
    yes_no
        Whether booleans become words.
    most
        The most names a list shows (:data:`WORKBOOK_LIST_MOST` in workbooks); the
        rest are counted, as ``(+12 more)`` (``（另有 12 项）``). ``None``: all.

    Returns
    -------
    tuple of (dict, dict)
        The frames by (translated) sheet name, and for each sheet the kind of each
        column (:data:`COLUMN_KINDS`, by translated column name) for
        :func:`chainmap.files.write_xlsx`.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"chain": ["c1"], "rate": [0.239], "overdue": [True]})
    >>> out, kinds = for_people({"conversion": frame}, "zh", {"chain": {"c1": "智能家电"}})
    >>> out["阶段转化率"].to_dict("records"), kinds["阶段转化率"]["转化率"]
    ([{'产业链': '智能家电', '转化率': 0.239, '签而未动': '是'}], 'percent')
    """
    names = names or {}
    firms, products, chains = (names.get(k, {}) for k in ("company", "product", "chain"))
    words = YES_NO["zh" if lang == "zh" else "en"]
    frames, kinds = {}, {}
    for sheet, frame in sheets.items():
        out = without_named_ids(frame).copy()
        for columns, known in ((FIRM_LIST_COLUMNS, firms), (PRODUCT_NAME_COLUMNS, products),
                               (NAME_LIST_COLUMNS, {})):
            for col in (c for c in columns if c in out.columns):
                out[col] = out[col].map(lambda v, known=known: _named(v, known, lang, most))
        if "chain" in out.columns and "chain_name" not in out.columns:
            out["chain"] = out["chain"].map(lambda v: chains.get(v, v))
        if _unnamed_product(out) and products:  # the name beside the id (签约项目, 履约)
            out.insert(out.columns.get_loc("product") + 1, "product_name",
                       out["product"].map(lambda v: products.get(v) if isinstance(v, str)
                                          else None))
        if yes_no:
            out = _yes_no(out, words)
        translated = _translate(out, lang)
        headers = {c: HEADERS_ZH.get(c, c) if lang == "zh" else c for c in out.columns}
        name = SHEETS_ZH.get(sheet, sheet) if lang == "zh" else sheet
        frames[name] = translated
        kinds[name] = {headers[c]: COLUMN_KINDS[c] for c in out.columns
                       if c in COLUMN_KINDS and headers[c] in translated.columns}
    return frames, kinds


def _named(value: object, names: Mapping[str, str], lang: str,
           most: int | None = None) -> object:
    """An id, or a list of ids, as names (an unknown id stays itself).

    Under ``zh`` a list is one text joined by 、, as a Chinese document lists names.
    A list longer than ``most`` shows its first ``most`` names and counts the rest.
    """
    if isinstance(value, (list, tuple)):
        named: list[object] = [names.get(v, v) for v in value[:most]]
        if most is not None and len(value) > most:
            named.append(pgettext("word", "(+{more} more)", lang).format(
                more=len(value) - most))
        return "、".join(map(str, named)) if lang == "zh" else named
    if isinstance(value, str):
        return names.get(value, value)
    return value


#: The most names a list of firms or products shows in a table or Markdown cell; the rest
#: are counted (``+2``), as the terminal's gap report shows its candidates.
SHOWN_LIST_MOST = 3


def list_names(sheets: Mapping[str, pd.DataFrame], names: Mapping[str, Mapping[str, str]],
               lang: str, most: int = SHOWN_LIST_MOST) -> dict[str, pd.DataFrame]:
    """Report frames with their lists of ids as a few names, for a table or Markdown.

    Each list of firm ids (:data:`FIRM_LIST_COLUMNS`) or product ids
    (:data:`PRODUCT_NAME_COLUMNS`) becomes one text: the names of its first ``most``
    joined by ``, `` (、 under ``zh``), then ``+N`` for the rest, as the terminal's gap
    report shows its candidates; an id list with its names beside it goes
    (:func:`without_named_ids`). Other columns, and the frames' own lists, are
    unchanged (JSON and CSV keep the ids: they are for programs).

    Parameters
    ----------
    sheets
        The report's frames by sheet name (English columns).
    names
        :func:`id_names` of the workspace (``company`` and ``product``); an id without a
        name stays itself.
    lang
        ``en`` or ``zh``: the word between names.
    most
        The most names a cell shows.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"candidates": [["s1", "s2", "s3", "s4"], []]})
    >>> firms = {"s1": "上海压缩机厂", "s2": "江苏压缩机厂", "s3": "浙江压缩机厂"}
    >>> list_names({"gaps": frame}, {"company": firms}, "zh")["gaps"]["candidates"].tolist()
    ['上海压缩机厂、江苏压缩机厂、浙江压缩机厂 +1', '']
    """
    firms, products = names.get("company", {}), names.get("product", {})
    comma = pgettext("word", ", ", lang)

    def text(value: object, known: Mapping[str, str]) -> object:
        if not isinstance(value, (list, tuple)):
            return value
        shown = comma.join(str(known.get(v, v)) for v in value[:most])
        return shown + (f" +{len(value) - most}" if len(value) > most else "")

    out = {}
    for sheet, frame in sheets.items():
        frame = without_named_ids(frame)
        columns = [(c, firms) for c in FIRM_LIST_COLUMNS if c in frame.columns] + \
            [(c, products) for c in PRODUCT_NAME_COLUMNS if c in frame.columns] + \
            [(c, {}) for c in NAME_LIST_COLUMNS if c in frame.columns]
        if columns:
            frame = frame.copy()
            for col, known in columns:
                frame[col] = frame[col].map(lambda v, known=known: text(v, known))
        out[sheet] = frame
    return out


def whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the whole numbers of its float columns as integers (for CSV).

    A CSV cell for people reads as the table's: ``31`` 亿元 and ``12000`` 万元, not
    ``31.0`` and ``12000.0`` (:func:`cell_text`); other numbers keep every digit
    (``7.5``, ``0.5714285714285714``) and a missing one stays empty, in columns of
    floats and of mixed values (a summary's 数值) alike. Text and integers are unchanged;
    ``frame`` itself too.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"投资额(亿元)": [31.0, 7.5, None], "数量": [2, 1, 1]})
    >>> print(whole_numbers(frame).to_csv(index=False).strip())
    投资额(亿元),数量
    31,2
    7.5,1
    ,1
    """
    import math

    import pandas as pd

    def whole(v: object) -> object:
        return int(v) if isinstance(v, float) and math.isfinite(v) and v.is_integer() \
            and abs(v) < 1e15 else v

    columns = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])
               or frame[c].dtype == object]  # a summary's 数值: counts and 亿元 together
    out = frame.copy()
    for column in columns:
        values = out[column].tolist()
        if any(isinstance(v, float) for v in values):
            out[column] = pd.Series([whole(v) for v in values], index=out.index,
                                    dtype=object)
    return out


def percent_text(frame: pd.DataFrame, kinds: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with its ``percent`` columns as text such as ``23.9%`` (for CSV).

    Parameters
    ----------
    frame
        A frame of :func:`for_people`.
    kinds
        Its column kinds.

    Returns
    -------
    DataFrame
        A copy; a missing share is an empty cell.

    Examples
    --------
    >>> import pandas as pd
    >>> shares = pd.DataFrame({"转化率": [0.239, None]})
    >>> percent_text(shares, {"转化率": "percent"})["转化率"].tolist()
    ['23.9%', '']
    """
    out = frame.copy()
    for col, kind in kinds.items():
        if kind == "percent" and col in out.columns:
            out[col] = out[col].map(_percent)
    return out
