"""The one place that turns exceptions into ``Error: ...`` lines and exit codes.

Every group of the command line is a :class:`ChainmapGroup`; the group whose command
failed reports the error, in the language of the command (``错误：...`` under ``zh``).
The main group keeps the language in force for the whole invocation and shows each
:class:`~chainmap.errors.NearMatchWarning` (a name read as the one it nearly matches) as
a ``Note: ...`` line. A library error that names a Python parameter
(``ChainmapError.parameter``, written ``reason=`` in its message) is reworded with the
option of the command being run (``--reason``): the library speaks Python, the command
line speaks options.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, cast

import click

from ..errors import ChainmapError, DatasetError
from ..i18n import _, language, use_language
from .context import LANG_PENDING, LANG_STACK
from .helptext import ChainmapCommand, format_commands, in_language
from .report import say

__all__ = ["CLI_MESSAGES", "ChainmapCommand", "ChainmapGroup", "OPTION_ALIASES",
           "near_match_notes", "option_words", "parameter_name", "partial_push_words"]

#: Library parameters that a command's option names differently, by command name:
#: ``chainmap.demo(path=)`` is ``demo --out``; ``Neo4jStore(uri=)`` is the main group's
#: ``--neo4j-uri`` (or ``NEO4J_URI``) in the words of ``neo4j push`` and ``pull``.
OPTION_ALIASES: dict[str, dict[str, str]] = {
    "demo": {"path": "--out"},
    "push": {"uri": "--neo4j-uri"},
    "pull": {"uri": "--neo4j-uri"},
}


def _no_home(exc: ChainmapError) -> str:
    return _("no home region: give home=, or set one with "
             "'chainmap config home 安徽省/马鞍山市/当涂县'")


def _pushed_pipeline(exc: ChainmapError) -> str:
    return _("the lead pipeline needs the embedded SQLite workspace; {location} holds a "
             "pushed copy that only reports read: change leads in the SQLite workspace, "
             "then push it ('chainmap neo4j push')").format(**exc.values)


def _no_workspace(exc: ChainmapError) -> str:
    return _("no workspace at {path}: import a dataset into it first ('chainmap import "
             "DATA' or 'chainmap firms import LIST'; 'chainmap demo' makes the sample), "
             "or name another workspace with --db or CHAINMAP_DB").format(**exc.values)


def _push_first(exc: ChainmapError) -> str:
    """A write the Neo4j store does not make: do it in SQLite, then ``neo4j push``."""
    said = {
        "push-import": _("import into the SQLite workspace, then send it to {location} with "
                         "'chainmap neo4j push' (an import updates records field by field, "
                         "which the Neo4j store does not)"),
        "push-firms": _("import firms into the SQLite workspace, then send them to "
                        "{location} with 'chainmap neo4j push'"),
        "push-review": _("classify and review in the SQLite workspace, then send it to "
                         "{location} with 'chainmap neo4j push'"),
        "push-chains": _("add chains to the SQLite workspace, then send it to {location} "
                         "with 'chainmap neo4j push'"),
    }
    return said[exc.topic or ""].format(**exc.values)


def _pushed_none(exc: ChainmapError) -> str:
    return _("unknown chain '{name}'; chains: (none: push a workspace to {location} with "
             "'chainmap neo4j push')").format(**exc.values)


def _firm_list(exc: ChainmapError) -> str:
    """A lone firm list given to ``import``: the dataset error, naming ``firms import``."""
    from dataclasses import replace

    problems = cast(DatasetError, exc).problems
    said = _("this is a firm list ({firms} firm(s), no products), not a dataset: import it "
             "with 'chainmap firms import {file}'").format(**exc.values)
    return str(DatasetError([replace(problems[0], message=said), *problems[1:]]))


#: The command line's own message for a library error of a ``topic``
#: (:attr:`chainmap.errors.ChainmapError.topic`), made from the error (its ``values``)
#: in the language in force: a command where the library names a method
#: (``ws.set_home`` is ``chainmap config home``, ``chainmap.push`` ``chainmap neo4j
#: push``, ``chainmap.import_firms`` ``chainmap firms import``). Its ``name=`` words
#: become options as in any other message (:func:`option_words`).
CLI_MESSAGES: dict[str, Callable[[ChainmapError], str]] = {
    "no-home": _no_home, "no-workspace": _no_workspace, "pushed-pipeline": _pushed_pipeline,
    "pushed-none": _pushed_none,
    "push-import": _push_first, "push-firms": _push_first, "push-review": _push_first,
    "push-chains": _push_first, "firm-list": _firm_list}


def partial_push_words(uri: str) -> str:
    """:class:`~chainmap.errors.PartialPushWarning` as the command line says it."""
    return _("a push into {uri} is under way or stopped midway: this report may see part "
             "of the data; run it again when the push has ended ('chainmap neo4j push' "
             "finishes a stopped one)").format(uri=uri)


def parameter_name(command: click.Command, parameter: str) -> str:
    """How the command line names the Python parameter ``parameter`` of ``command``.

    Parameters
    ----------
    command : click.Command
        The command being run.
    parameter : str
        The library's parameter name, e.g. ``reason`` or ``weak_threshold``.

    Returns
    -------
    str
        The command's entry in :data:`OPTION_ALIASES`, else its long option for it
        (``--reason``), the metavar of an argument (``LEAD``), else ``--`` and the name
        with ``-`` for ``_``.
    """
    alias = OPTION_ALIASES.get(command.name or "", {}).get(parameter)
    if alias:
        return alias
    for param in command.params:
        if param.name not in (parameter, f"{parameter}_"):
            continue
        if isinstance(param, click.Option):
            longs = [o for o in param.opts if o.startswith("--")]
            if longs:
                return max(longs, key=len)
        elif isinstance(param, click.Argument):
            return param.human_readable_name
    return "--" + parameter.replace("_", "-")


def option_words(exc: ChainmapError, command: click.Command) -> str:
    """The message of ``exc`` with each ``parameter=`` replaced by the command's option.

    An error with a :attr:`~chainmap.errors.ChainmapError.topic` of
    :data:`CLI_MESSAGES` takes the command line's own message first.

    Parameters
    ----------
    exc : ChainmapError
        The error raised by the library.
    command : click.Command
        The command being run.

    Returns
    -------
    str
        The message a user of the command line reads.

    Examples
    --------
    >>> import click
    >>> from chainmap.errors import ArgumentError
    >>> move = click.Command("move", params=[click.Option(["--reason"])])
    >>> option_words(ArgumentError("moving to lost needs reason=", parameter="reason"), move)
    'moving to lost needs --reason'
    """
    words = CLI_MESSAGES.get(getattr(exc, "topic", None) or "")
    message = words(exc) if words is not None else str(exc)
    for parameter in exc.parameters:
        # ``add=True`` is the flag ``--add``; any other ``name=`` is the option itself
        pattern = rf"(?<![\w-]){re.escape(parameter)}=(?:True\b)?"
        # a plain replacement string: the option's words contain no backslash or group
        message = re.sub(pattern, parameter_name(command, parameter).replace("\\", r"\\"),
                         message)
    return message


def _is_near_match(category: type[Warning]) -> bool:
    """Whether ``category`` is chainmap's ``NearMatchWarning`` (or derives from it)."""
    return any(cls.__name__ == "NearMatchWarning" for cls in category.__mro__)


def _is_partial_push(category: type[Warning]) -> bool:
    """Whether ``category`` is chainmap's ``PartialPushWarning`` (or derives from it)."""
    return any(cls.__name__ == "PartialPushWarning" for cls in category.__mro__)


@contextmanager
def near_match_notes() -> Iterator[None]:
    """Show each ``NearMatchWarning`` raised inside as a ``Note: ...`` line on stderr.

    And each ``PartialPushWarning`` (a report of a Neo4j database being pushed to) as a
    ``Warning: ...`` line.

    Each is shown once per command (the same note twice from one place is said once),
    whatever the warning filters of the session, in the language in force when it is
    raised; other warnings go where they went before.
    """
    from .. import errors

    with warnings.catch_warnings():
        before = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], filename: str,
                 lineno: int, file: Any = None, line: str | None = None) -> None:
            if _is_near_match(category):
                say(_("Note: {message}").format(message=message))
            elif _is_partial_push(category):  # in the words of the commands
                uri = getattr(message, "uri", None)
                say(_("Warning: {message}").format(
                    message=message if uri is None else partial_push_words(uri)))
            else:
                before(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        near = getattr(errors, "NearMatchWarning", None)
        if near is not None:
            warnings.simplefilter("default", near)
        partial = getattr(errors, "PartialPushWarning", None)
        if partial is not None:
            warnings.simplefilter("default", partial)
        yield


class ChainmapGroup(ChainmapCommand, click.Group):
    """A group that turns chainmap errors into ``Error: ...`` and exit 1; never a traceback.

    ``DatasetError`` prints its problems indented under the first line; Ctrl-C exits 130
    with a word on what was rolled back; any other exception is an internal error
    (``CHAINMAP_DEBUG=1`` shows its traceback). The outermost group keeps the language of
    the command in force until it returns (then the one before is back: many commands may
    run in one process) and turns near-match warnings into ``Note: ...`` lines. A usage
    error is shown in that language (:func:`~chainmap.cli.helptext.in_language`), and so
    is ``--help`` (:class:`~chainmap.cli.helptext.ChainmapCommand`); its commands are
    :class:`~chainmap.cli.helptext.ChainmapCommand` and its groups ``ChainmapGroup``.
    """

    command_class = ChainmapCommand
    group_class = type

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, its short help in the language of the page."""
        if language() == "en":
            super().format_commands(ctx, formatter)
        else:
            format_commands(self, ctx, formatter)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand, reporting what goes wrong in it."""
        if LANG_STACK in ctx.meta:  # an inner group: the outermost one keeps the language
            return self._invoke(ctx)
        with ExitStack() as stack, use_language(None), near_match_notes():
            ctx.meta[LANG_STACK] = stack
            pending = ctx.meta.pop(LANG_PENDING, None)  # the main group's own --lang
            if pending is not None:
                stack.enter_context(use_language(pending))
            try:
                return self._invoke(ctx)
            finally:
                del ctx.meta[LANG_STACK]

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DatasetError as exc:
            lines = (option_words(exc, self._running(ctx)) if exc.topic in CLI_MESSAGES
                     else str(exc)).splitlines()
            say(_("Error: {message}").format(message=lines[0]))
            for line in lines[1:]:
                say("  " + line)
            ctx.exit(1)
        except ChainmapError as exc:
            say(_("Error: {message}").format(message=option_words(exc, self._running(ctx))))
            ctx.exit(1)
        except click.UsageError as exc:  # an unknown command, or raised by a command
            # in the language of the command that raised it (its own --lang first)
            where = exc.ctx if exc.ctx is not None and \
                isinstance(exc.ctx.command, ChainmapCommand) else ctx
            shown = in_language(exc, cast("ChainmapCommand", where.command).language_of(where))
            if shown is exc:
                raise
            raise shown from exc
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # stdout's reader went away (| head): run() ends quietly
            raise
        except OSError as exc:  # a path the system refuses: too long, no permission, disk full
            if exc.filename is None or os.environ.get("CHAINMAP_DEBUG"):
                raise
            from ..files import system_error

            say(_("Error: cannot use {path}: {reason}; nothing was changed").format(
                path=exc.filename, reason=system_error(exc)))
            ctx.exit(1)
        except KeyboardInterrupt:
            say(_("Interrupted. An unfinished write to a SQLite workspace was rolled back; "
                  "an unfinished Neo4j push is repaired by the next push."))
            ctx.exit(130)
        except Exception as exc:  # a bug: say so plainly, keep the traceback for developers
            if os.environ.get("CHAINMAP_DEBUG"):
                raise
            say(_("Error: internal error ({kind}: {error}); set CHAINMAP_DEBUG=1 to see the "
                  "traceback and please report it").format(kind=type(exc).__name__, error=exc))
            ctx.exit(1)

    def _running(self, ctx: click.Context) -> click.Command:
        """The subcommand of this group being run (this group if none is)."""
        name = ctx.invoked_subcommand
        command = self.get_command(ctx, name) if name else None
        return command if command is not None else self
