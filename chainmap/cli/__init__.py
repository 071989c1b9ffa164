"""The ``chainmap`` command line: thin wrappers over the library functions.

Data goes to stdout; messages and progress go to stderr. Exit 0 on success, 1 on
a user error (one ``Error: ...`` line, no traceback), 2 on a usage error.

The only package of chainmap that imports click. :mod:`.root` is the main group,
:mod:`.options` the options several commands share, :mod:`.errors` the error handling,
:mod:`.report` the printing; each other module holds one group of commands, imported
when one of its commands runs (:data:`.root.MODULES`).
"""

from __future__ import annotations

import os
import sys

from .root import main

__all__ = ["main", "run"]


def run() -> None:  # pragma: no cover - console entry point
    """Run the command line (the ``chainmap`` console script).

    Piped into a reader that stops early (``chainmap gaps ... | head``), it ends quietly
    with exit status 1, as click does and the Python documentation recommends (signal,
    "Note on SIGPIPE"): no ``BrokenPipeError`` traceback; stdout is pointed at devnull so
    that the flush at exit does not fail again.
    """
    try:
        try:
            main(prog_name="chainmap")
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
