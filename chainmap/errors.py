"""Exceptions raised by chainmap.

Every error chainmap raises on purpose derives from :class:`ChainmapError`; only
``chainmap.cli`` turns them into ``Error: ...`` lines and exit codes.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass

from ._gettext import _

__all__ = [
    "ArgumentError",
    "ChainmapError",
    "CODES",
    "DatasetError",
    "Finding",
    "NearMatchWarning",
    "NotFoundError",
    "PartialPushWarning",
    "Problem",
    "RegionError",
    "WorkspaceError",
]


class ChainmapError(Exception):
    """Base class of every error chainmap raises for bad input or state.

    Each subclass also derives from the built-in exception a Python caller would expect
    (``ValueError`` for a bad argument, ``LookupError`` for an unknown name), so that
    ``except ValueError`` works as it does with any other library.

    ``parameter`` names the Python parameter the error is about (``"reason"``), when
    there is one: the message says ``reason=``, and the command line, which owns the
    words its users see, says ``--reason`` instead. A message that names several
    parameters gives them all, as a tuple (``parameter=("reason", "note")``); they are
    in :attr:`parameters`, and :attr:`parameter` is the first.

    ``topic`` names, for the few errors whose remedy is a method in Python and a command
    on the command line (``"no-home"``: set the home with ``ws.set_home(...)``, or
    ``chainmap config home ...``; ``"pushed-pipeline"`` and the other writes a Neo4j
    workspace refuses, ``"push-import"``, ``"push-firms"``, ``"push-review"``,
    ``"push-chains"``, ``"pushed-none"``: ``chainmap.push`` or ``chainmap neo4j push``;
    ``"firm-list"``: ``chainmap.import_firms`` or ``chainmap firms import``), what the
    command line words its own way
    (:data:`chainmap.cli.errors.CLI_MESSAGES`), with the ``values`` the message was
    made of (``{"location": ...}``); the library's message names no command.
    """

    def __init__(self, message: str = "", *,
                 parameter: str | tuple[str, ...] | None = None,
                 topic: str | None = None, values: dict[str, str] | None = None) -> None:
        super().__init__(message)
        #: What the command line words its own way (see above), or ``None``.
        self.topic = topic
        #: The values of the message's placeholders, for the command line's wording.
        self.values: dict[str, str] = dict(values or {})
        #: Every Python parameter the message names (``reason=``), in order.
        self.parameters: tuple[str, ...] = (
            () if not parameter else (parameter,) if isinstance(parameter, str)
            else tuple(parameter))
        #: The first of :attr:`parameters`, or ``None``.
        self.parameter: str | None = self.parameters[0] if self.parameters else None

    def _render_traceback_(self) -> list[str]:
        """What Jupyter (IPython) shows for this error: the caller's line and the message.

        As the command line shows ``Error: ...``: the line of the caller's code that
        raised it, then ``NotFoundError: unknown product ...``, not the frames inside
        chainmap. ``CHAINMAP_DEBUG=1`` gives the whole traceback.
        """
        import linecache
        import os
        import traceback

        if os.environ.get("CHAINMAP_DEBUG"):
            return "".join(traceback.format_exception(type(self), self,
                                                      self.__traceback__)).splitlines()
        lines = []
        caller = None
        for frame, number in traceback.walk_tb(self.__traceback__):
            if not _inside(frame.f_code.co_filename):
                caller = (frame.f_code.co_filename, number)
        if caller is not None:
            code = linecache.getline(*caller).strip()
            if code:
                lines.append(_("line {line}: {code}").format(line=caller[1], code=code))
        return lines + f"{type(self).__name__}: {self}".splitlines()


class ArgumentError(ChainmapError, ValueError):
    """An argument that is not valid: a missing reason, a negative amount, a bad date."""


class RegionError(ChainmapError, LookupError):
    """A place name that is unknown or matches more than one region.

    ``field`` names the part of a company record that failed (``province``,
    ``city`` or ``district``) when the error comes from :func:`chainmap.regions.locate`.
    """

    def __init__(self, message: str, field: str | None = None, *,
                 parameter: str | tuple[str, ...] | None = None) -> None:
        super().__init__(message, parameter=parameter)
        self.field = field


class NotFoundError(ChainmapError, LookupError):
    """A chain, product, company or lead id that the workspace does not hold."""


class WorkspaceError(ChainmapError):
    """The workspace file cannot be opened, or is of a newer format."""


class _SentenceWarning(UserWarning):
    """A warning whose ``args`` are its arguments and whose ``str()`` is its sentence.

    pickle and pytest-xdist make a warning again in another process as ``cls(*args)``:
    with the sentence in ``args`` it was said twice, or the class refused it.
    """

    text: str

    def __str__(self) -> str:
        """The sentence, in the language of the moment the warning was made."""
        return self.text


class NearMatchWarning(_SentenceWarning):
    """A name that was not found as typed was read as the one record it nearly matches.

    Chains, products, firms and regions are found by id, by exact name, then by an
    unambiguous near match (the same name written another way: width, case, spaces,
    punctuation and brackets, a firm's 有限公司, a region's 省/市; or a close spelling).
    A near match is taken, and this warning says which name was read as which, so that
    the command line can show it as a note.

    Attributes
    ----------
    typed : str
        The name as given.
    name : str
        The name of the record it was read as (a region's path).
    id : str
        The record's id (a region's code).
    kind : str
        ``chain``, ``product``, ``firm`` or ``region``.
    text : str
        The sentence (``str(warning)``).

    Examples
    --------
    >>> w = NearMatchWarning("控制器主控板", "控制器（主控板）", "controller", "product")
    >>> print(w)
    read '控制器主控板' as '控制器（主控板）'
    """

    def __init__(self, typed: str, name: str, id: str, kind: str) -> None:
        super().__init__(typed, name, id, kind)
        self.typed = typed
        self.name = name
        self.id = id
        self.kind = kind
        self.text = _("read '{typed}' as '{name}'").format(typed=typed, name=name)


class PartialPushWarning(_SentenceWarning):
    """A report read a Neo4j database that a push is writing, or left half written.

    A push is many transactions; while it runs, and after one that stopped midway (a
    lost connection, Ctrl-C), the database holds part of the workspace, and a report
    may count a product as missing whose makers are not there yet. The report still
    runs (a colleague's push must not lock everyone out); this warning says its figures
    may be partial until the push has ended (``chainmap.push`` finishes a stopped one;
    the command line shows it as a ``Warning: ...`` line naming ``chainmap neo4j
    push``).

    Attributes
    ----------
    uri : str
        The database's address, without its password.
    text : str
        The sentence (``str(warning)``).

    Examples
    --------
    >>> w = PartialPushWarning("bolt://127.0.0.1:7687")
    >>> str(w).startswith("a push into bolt://127.0.0.1:7687 is under way or stopped midway")
    True
    >>> w.args, str(PartialPushWarning(*w.args)) == str(w)
    (('bolt://127.0.0.1:7687',), True)
    """

    def __init__(self, uri: str) -> None:
        super().__init__(uri)
        self.uri = uri
        self.text = _("a push into {uri} is under way or stopped midway: this report may "
                      "see part of the data; run it again when the push has ended "
                      "(chainmap.push finishes a stopped one)").format(uri=uri)


#: Every reason code a :class:`Finding` may carry, with what it means. Stable: a code,
#: once here, keeps its meaning; callers branch on it (``finding.code == "bad-uscc"``).
CODES: dict[str, str] = {
    # reading a file (chainmap.io.read, chainmap.crm.leads_io)
    "no-such-file": "the file or folder does not exist",
    "unreadable": "the file, folder or workbook cannot be read",
    "sheet-too-large": "a worksheet reaches more rows or columns than chainmap reads",
    "table-too-large": "a table has more rows or columns than chainmap reads",
    "cell-too-long": "a cell holds more characters than chainmap reads",
    "bad-file-type": "not a kind of file chainmap reads (.csv, .xlsx, a folder of CSVs)",
    "bad-encoding": "the bytes are not UTF-8, UTF-8 with BOM or GB18030/GBK text",
    "bad-csv": "the text is not valid CSV (a row with more cells than the header ...)",
    "empty-file": "the file has no header row",
    "bad-header": "a column with data has no header",
    "duplicate-column": "two columns give the same field",
    "missing-column": "a required column is missing",
    "missing-sheet": "the workbook has no sheet for the table",
    "missing-table": "a required table (file or sheet) is missing",
    "duplicate-table": "two files or sheets for the same table",
    # checking the cells (chainmap.io.validate, chainmap.crm.leads_io)
    "missing-value": "a required cell is blank",
    "duplicate-id": "an id given on an earlier line",
    "bad-uscc": "not a valid USCC (统一社会信用代码)",
    "unknown-region": "a province, city or district that is unknown or ambiguous",
    "bad-number": "not a number ≥ 0 (or not a whole one)",
    "bad-bool": "not a yes/no value",
    "bad-tier": "not upstream/midstream/downstream (上游/中游/下游)",
    "bad-id": "an id holding a control, zero-width or bidi character",
    "bad-text": "a cell holding a NUL character",
    "unknown-id": "names no record of the dataset or the workspace",
    "ambiguous-name": "names several records; give the id",
    "self-supply": "a firm listed as its own supplier",
    "bad-status": "not a firm status (active/closed, 登记状态 such as 存续, 在业, 注销, "
                  "吊销 ...) or link status (confirmed/suggested/rejected)",
    "bad-evidence": "not an evidence grade (strong/medium/weak)",
    "bad-stage": "not a lead stage",
    "bad-source": "not a lead source",
    "bad-date": "not a date",
    "misplaced-reason": "a reason (终止原因) for a lead that is not lost",
    "missing-reason": "a lost lead (终止) without a reason",
    "duplicate-lead": "the same firm, product and source as an earlier line",
    # data-quality checks (chainmap.quality.CHECKS)
    "cycle": "a cycle in the product graph",
    "unmade-product": "a product no firm makes",
    "unchained-product": "a product in no chain",
    "empty-chain": "a chain without products",
    "idle-firm": "a firm that makes no product",
    "missing-uscc": "a firm without a USCC",
    "duplicate-uscc": "firms sharing one USCC (on import: a USCC another firm holds)",
    "duplicate-name": "firm names that look like one firm",
    "supply-not-made": "a supply of a product the supplier has no capability for",
    # the workspace file itself (chainmap.check(ws, integrity=True))
    "integrity": "SQLite's integrity_check found a damaged page or index",
    "foreign-key": "a row naming a record that does not exist (foreign_key_check)",
}


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a dataset or a workspace: an import problem or a check finding.

    Import problems (a cell, line or file that cannot be imported; raised together in
    a :class:`DatasetError`) and data-quality findings (:func:`chainmap.check`) are
    both findings, so a caller branches on :attr:`code` whichever produced it.
    Everything after ``message`` is keyword-only.

    Parameters
    ----------
    code
        The stable reason code, one of :data:`CODES`. Reading a file:
        ``no-such-file``, ``unreadable``, ``bad-file-type``, ``bad-encoding``,
        ``bad-csv``, ``empty-file``, ``bad-header``, ``duplicate-column``,
        ``missing-column``, ``missing-sheet``, ``missing-table``, ``duplicate-table``.
        Checking cells: ``missing-value``, ``duplicate-id``, ``bad-uscc``,
        ``unknown-region``, ``bad-number``, ``bad-bool``, ``bad-tier``, ``unknown-id``,
        ``ambiguous-name``, ``self-supply``, ``bad-status``, ``bad-evidence``, ``bad-id``,
        ``bad-text``, ``duplicate-uscc`` (a USCC another firm holds), and for
        leads ``bad-stage``, ``bad-source``, ``bad-date``, ``misplaced-reason``,
        ``missing-reason``, ``duplicate-lead``. Data-quality checks (the ``check`` column
        of :func:`chainmap.check`): ``cycle``, ``unmade-product``, ``unchained-product``,
        ``empty-chain``, ``idle-firm``, ``missing-uscc``, ``duplicate-uscc``,
        ``duplicate-name``, ``supply-not-made``; with ``integrity=True``, ``integrity``
        and ``foreign-key``. Beyond the limits of :func:`chainmap.io.read.read_limits`:
        ``sheet-too-large``, ``table-too-large``, ``cell-too-long``.
    message
        What is wrong, in words (an import problem's reason).
    severity
        ``error`` (an import problem is always one) or ``warning``.
    table
        The table concerned (``companies`` ...), when known.
    id
        The id (or ids, joined by ``;``) concerned, when known.
    source
        The file (or ``file[sheet]``) of an import problem.
    line
        Its 1-based line (header = line 1); ``None`` for a whole-file problem.
    column
        The column's header as written in the file.
    value
        The cell's value as written.

    Examples
    --------
    >>> problem = Problem("bad-uscc", "a USCC has 18 characters, this has 3",
    ...                   source="companies.csv", line=3, column="uscc", value="123")
    >>> print(problem)
    companies.csv:3: column 'uscc': value '123': a USCC has 18 characters, this has 3
    >>> problem.code, problem.severity
    ('bad-uscc', 'error')
    """

    code: str
    message: str
    _: KW_ONLY
    severity: str = "error"
    table: str | None = None
    id: str | None = None
    source: str | None = None
    line: int | None = None
    column: str | None = None
    value: str | None = None

    @property
    def reason(self) -> str:
        """The :attr:`message` (the name an import problem's reason had)."""
        return self.message

    def __str__(self) -> str:
        """``file:line: column 'x': value 'y': message``, each part only when known."""
        parts = []
        if self.source is not None:
            parts.append(self.source if self.line is None else f"{self.source}:{self.line}")
        if self.column is not None:
            parts.append(_("column '{column}'").format(column=self.column))
        if self.value is not None:
            from .text import visible  # control and bidi characters as escapes

            parts.append(_("value '{value}'").format(value=visible(self.value)))
        parts.append(self.message)
        return ": ".join(parts)


#: An import problem: a :class:`Finding` with its place in the file.
Problem = Finding


class DatasetError(ChainmapError, ValueError):
    """A dataset that cannot be imported; ``problems`` lists every problem found.

    Each problem is a :class:`Finding` (severity ``error``) with a reason ``code``, the
    file, line, column and value; ``str(problem)`` is its line of the message.
    """

    #: How many problems are listed in the message; the rest are counted.
    shown = 50

    def __init__(self, problems: list[Finding], total: int | None = None, *,
                 topic: str | None = None, values: dict[str, str] | None = None) -> None:
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        lines = [str(p) for p in self.problems[: self.shown]]
        more = self.total - len(lines)
        if more > 0:
            lines.append(_("... and {more} more problem(s)").format(more=more))
        head = _("{total} problem(s) found; nothing was imported").format(total=self.total)
        super().__init__(head + "\n" + "\n".join(lines), topic=topic, values=values)


def _inside(filename: str) -> bool:
    """Whether ``filename`` is a module of chainmap itself, or ``contextlib``.

    ``contextlib``'s frames stand between a ``with`` in chainmap and the context manager
    it enters (a report's snapshot), so they count as chainmap's.
    """
    import contextlib
    import os

    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    path = os.path.abspath(filename)
    return path.startswith(package) or path == os.path.abspath(contextlib.__file__)


def warn(warning: Warning | str, category: type[Warning] = UserWarning) -> None:
    """Issue ``warning`` at the caller's line, the first one outside chainmap.

    A fixed ``stacklevel`` points into chainmap when a public function is wrapped (by
    :func:`chainmap.snapshot.reads_snapshot`) or called through another: a notebook
    then shows ``chainmap/snapshot.py:45`` and ``return function(*args, **kwargs)``
    under the warning instead of the planner's own line.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("thin", UserWarning)
    >>> "chainmap" in caught[0].filename.split("/")[-2:]
    False
    """
    import sys
    import warnings
    from types import FrameType

    frame: FrameType | None = sys._getframe(1)
    level = 2  # the stacklevel of the caller of warn
    while frame is not None and _inside(frame.f_code.co_filename):
        level, frame = level + 1, frame.f_back
    if isinstance(warning, Warning):
        warnings.warn(warning, stacklevel=level)
    else:
        warnings.warn(warning, category, stacklevel=level)
