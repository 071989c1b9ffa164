"""The ``chainmap`` command line: thin wrappers over the library functions.

Data goes to stdout; messages and progress go to stderr. Exit 0 on success, 1 on
a user error (one ``Error: ...`` line, no traceback), 2 on a usage error.

The only package of chainmap that imports click. :mod:`.root` is the main group,
:mod:`.options` the options several commands share, :mod:`.errors` the error handling,
:mod:`.report` the printing; each other module holds one group of commands, imported
when one of its commands runs (:data:`.root.MODULES`).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import threading
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    import click

__all__ = ["main", "run", "wide_encoding"]


def __getattr__(name: str) -> click.Group:
    """``main``, the main group (:mod:`.root`), imported when it is first asked for.

    ``chainmap --version`` then starts without click (:func:`run`).
    """
    if name == "main":
        from .root import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run() -> NoReturn:  # pragma: no cover - console entry point
    """Run the command line (the ``chainmap`` console script).

    Piped into a reader that stops early (``chainmap gaps ... | head``), it ends quietly
    with exit status 1, as click does and the Python documentation recommends (signal,
    "Note on SIGPIPE"): no ``BrokenPipeError`` traceback; stdout is pointed at devnull so
    that the flush at exit does not fail again.

    A command is a process of its own, and starts and ends as one (issue 13: a report
    is timed as the whole process): the cyclic garbage collector waits for 100,000 new
    objects instead of 700 (importing pandas makes about half a million, none of them
    garbage); numpy's OpenBLAS starts one thread instead of one per core unless
    ``OPENBLAS_NUM_THREADS`` says otherwise (chainmap multiplies no large matrices);
    and the process ends by :func:`_leave`, without taking the interpreter apart.
    ``chainmap --version`` alone is answered before click is imported: it needs
    nothing else.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    gc.set_threshold(100_000, 10, 10)
    for stream in (sys.stdout, sys.stderr):
        wide_encoding(stream)
    if sys.argv[1:] == ["--version"]:  # what click's version option prints, without click
        from .. import __version__

        sys.stdout.write(f"chainmap, version {__version__}\n")
        _leave(0)
    from .root import main

    try:
        try:
            main(prog_name="chainmap")
        finally:
            sys.stdout.flush()
    except SystemExit as done:
        _leave(done.code)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        _leave(1)
    _leave(0)


def _leave(code: object) -> NoReturn:
    """End the process with exit status ``code`` (as :class:`SystemExit` reads it).

    Once a command is done its workspace is closed (click closes the context, and with
    it :meth:`Context.close <chainmap.cli.context.Context.close>`) and its output
    written. Freeing every object of the interpreter one by one, as a normal exit does,
    then takes 0.05-0.2 s for nothing; so the output is flushed, the exit functions
    (:mod:`atexit`: logging, temporary folders) run, and :func:`os._exit` ends the
    process. With another thread still running (it would be stopped mid-way), under a
    debugger, profiler or coverage tool (they write at the normal exit), or without
    :func:`atexit._run_exitfuncs`, it exits the normal way.
    """
    status = 0 if code is None else code if isinstance(code, int) else 1
    if not isinstance(code, int | None):
        print(code, file=sys.stderr)
    _flush()
    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    if run_exitfuncs is None or threading.active_count() > 1 \
            or sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(status)
    run_exitfuncs()
    _flush()
    os._exit(status)


#: Encodings a Chinese Windows writes a redirected stream in (its code page 936), and
#: the superset chainmap writes instead: the same bytes for every GBK character, and
#: any other character (®, €, •, ✓, 䶮, 𬭎) written instead of failing.
_GBK = frozenset({"gbk", "gb2312", "cp936"})
_WIDER = "gb18030"


def wide_encoding(stream: object) -> str | None:
    """Let ``stream`` (stdout, stderr) write every character; the encoding it now has.

    A redirected stream (``chainmap gaps > gaps.txt``, ``| findstr``) is written in the
    system's code page: on a Chinese Windows that is GBK (936), which has no ``®``,
    ``€``, ``•``, ``✓`` and no rare name characters such as ``䶮``, and one of them in a
    firm's name stopped the whole report with ``UnicodeEncodeError``. GBK becomes
    GB18030 (the same bytes for every GBK character: Excel and Notepad read it as GBK);
    any other encoding that cannot write every character becomes UTF-8: one with no
    Chinese at all (cp1252 of an English Windows), and one with only part of the
    simplified characters (Big5 / cp950 of a Traditional Chinese Windows and Shift-JIS /
    cp932 of a Japanese one have 中 but not 当, 涂 or 县: a report in them was mostly
    lost, or stopped at the first such name). An encoding ``PYTHONIOENCODING`` chose is
    kept, and a character it cannot write is shown as ``?`` unless it names its own
    error handler too (``cp950:strict``). A stream that writes every character (UTF-8,
    GB18030, a Windows console) is left as it is, as is one that cannot be changed.

    Examples
    --------
    >>> import io
    >>> out = io.TextIOWrapper(io.BytesIO(), encoding="cp936")
    >>> wide_encoding(out)
    'gb18030'
    >>> _ = out.write("皓月®")
    >>> out.flush()
    >>> written = out.buffer.getvalue()  # the GBK bytes of 皓月, then ® in four bytes
    >>> written[:4] == "皓月".encode("gbk"), written.decode("gb18030")
    (True, '皓月®')
    """
    import codecs

    encoding = getattr(stream, "encoding", None)
    reconfigure = getattr(stream, "reconfigure", None)
    if not isinstance(encoding, str) or reconfigure is None:
        return None
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    chosen = os.environ.get("PYTHONIOENCODING", "")
    if name in _GBK:
        wider = _WIDER
    elif name.startswith("utf") or name == _WIDER:
        return encoding
    elif chosen:
        if ":" not in chosen and getattr(stream, "errors", None) == "strict":
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")
        return encoding
    else:
        wider = "utf-8"
    try:
        reconfigure(encoding=wider)
    except (ValueError, OSError):  # read from already, or not a text stream after all
        return encoding
    return wider


def _flush() -> None:
    """Write out what stdout and stderr hold (a closed pipe: nothing more can be said)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


