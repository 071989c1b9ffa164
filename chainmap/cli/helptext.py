r"""``--help`` and click's usage errors in the language of the command.

The help texts are the docstrings and ``help=`` strings of the commands, written in
English as always; the catalogue holds their Chinese with the message context ``help``
(``python scripts/catalogue.py`` finds them by walking the command tree,
:func:`help_texts`). Under ``en`` nothing here changes a byte of click's own output. Under
``zh`` a :class:`ChainmapCommand` renders its help page through :func:`translated`: the
help text, each option's help, the command list's short help, and click's own words
(``Usage:``, ``Options:``, ``[default: ...]``, ``[required]``); the
:class:`ChineseHelpFormatter` wraps by display width (a Chinese character takes two
columns) and keeps click's ``\b`` paragraphs as they are.

The language of a help page, first to last: the command's own ``--lang`` on the command
line (read before click processes ``--help``, wherever it stands), the language in force
(``CHAINMAP_LANG``, or the workspace's ``chainmap config lang`` that the main group has
already read), and for the main group itself, whose callback has not run yet when its
help is shown, ``CHAINMAP_LANG`` and then the ``config lang`` of the workspace named by
``--db`` / ``CHAINMAP_DB`` / ``./chainmap.db``.

Usage errors (``Missing option``, ``No such command``, ``Invalid value for ...``) are
re-rendered under ``zh`` from the exception's attributes (:func:`in_language`), never by
reading click's English text: the usage line, the ``--help`` hint and the ``错误：`` line
are Chinese, and so is the message wherever click keeps what it is made of. What click
keeps only as English text (a number or path type's reason, ``Option '--x' requires an
argument.``) is shown as click wrote it.
"""

from __future__ import annotations

import inspect
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from typing import IO, Any

import click

from ..i18n import LANGUAGES, _, join, language, pgettext, use_language
from .context import Context, env_lang

__all__ = ["CLICK_WORDS", "HELP", "ChainmapCommand", "ChineseHelpFormatter", "HelpContext",
           "TranslatedUsageError", "command_contexts", "display_width", "help_msgid",
           "help_texts", "in_language", "shorten", "translated", "wrap"]

#: The message context of help texts in the catalogue.
HELP = "help"
#: click's own words on a help page, translated like the help texts (and kept in the
#: catalogue although no command names them).
CLICK_WORDS = ("Usage:", "Options:", "Commands:", "default: {default}", "env var: {var}",
               "required", "; ")
#: click's mark of a paragraph not to rewrap, and how the catalogue writes it.
NO_REWRAP = "\b"
NO_REWRAP_ID = "\\b"


def help_msgid(text: str) -> str:
    r"""The catalogue's message id of a help text.

    The text itself, with click's ``\b`` (a backspace character, invisible in a ``.po``
    file) written as the two characters ``\b``.
    """
    return text.replace(NO_REWRAP, NO_REWRAP_ID)


def translated(text: str) -> str:
    """``text`` (an English help text or click word) in the current language.

    Parameters
    ----------
    text : str
        The text as the source (or click) writes it.

    Returns
    -------
    str
        The catalogue's translation (context ``help``), else ``text`` unchanged.

    Examples
    --------
    >>> from chainmap.i18n import use_language
    >>> with use_language("zh"):
    ...     translated("Options:")
    '选项：'
    >>> translated("Options:")
    'Options:'
    """
    msgid = help_msgid(text)
    found = pgettext(HELP, msgid)
    return text if found == msgid else found.replace(NO_REWRAP_ID, NO_REWRAP)


def command_contexts(command: click.Command, name: str,
              parent: click.Context | None = None) -> Iterator[tuple[str, click.Context]]:
    """``(command path, context)`` of ``command`` and every command below it.

    Each context made as click makes it (the command's context settings, its parent), so
    that the help option is the one a command line shows (``-h, --help``).
    """
    ctx = command.context_class(command, info_name=name, parent=parent,
                                **command.context_settings)
    yield ctx.command_path, ctx
    if isinstance(command, click.Group):
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                yield from command_contexts(sub, sub_name, ctx)


def help_texts(command: click.Command, name: str = "chainmap") -> dict[str, list[str]]:
    r"""Every help text of ``command`` and the commands below it, by message id.

    The help text of each command (up to click's ``\f``), its short help (the first
    sentence, shown in its group's command list), the help of each option (``--help``
    and ``--version`` too) and the text of a ``show_default`` given as a string; then
    :data:`CLICK_WORDS`. Hidden commands and options are left out.

    Parameters
    ----------
    command : click.Command
        The main group (``chainmap.cli.main``).
    name : str
        Its name on the command line.

    Returns
    -------
    dict
        ``{message id: [where it is shown, ...]}`` (``chainmap gaps --chain``).
    """
    found: dict[str, list[str]] = {}

    def add(text: str | None, where: str) -> None:
        if text and text.strip():
            found.setdefault(help_msgid(text), []).append(where)

    for path, ctx in command_contexts(command, name):
        cmd = ctx.command
        if cmd.help:
            add(inspect.cleandoc(cmd.help).partition("\f")[0], path)
        if cmd.help or cmd.short_help:
            add(cmd.get_short_help_str(sys.maxsize), f"{path} (short help)")
        for param in cmd.get_params(ctx):
            if isinstance(param, click.Option) and not param.hidden:
                where = f"{path} {max(param.opts, key=len)}"
                add(param.help, where)
                if isinstance(param.show_default, str):
                    add(param.show_default, f"{where} (default)")
    for word in CLICK_WORDS:
        add(word, "click")
    return found


# --- text by display width -------------------------------------------------------------

#: A run of spaces, click's note in brackets (``[默认：table]``), a run of printable ASCII
#: (a word, an option, an id), or one other character (a Chinese character is a unit of
#: its own: a line may break after any).
_UNIT = re.compile(r"\s+|\[[^\s\[\]]+\]|[!-~]+|.", re.S)
#: Marks that stay with the character before them / after them.
_CLOSING = set("，。、；：？！）》」』”’…,.;:?!)]}%")
_OPENING = set("（《「『“‘([{")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: two for a wide (Chinese) character.

    Examples
    --------
    >>> display_width("缺链 gaps")
    9
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else
               0 if unicodedata.combining(ch) else 1 for ch in click.unstyle(text))


def _units(text: str) -> list[str]:
    """``text`` cut where a line may break; a unit of spaces is a space."""
    units: list[str] = []
    for unit in _UNIT.findall(text):
        if unit.isspace():
            if units and not units[-1].isspace():
                units.append(" " * len(unit.expandtabs()) if "\n" not in unit else " ")
        elif units and not units[-1].isspace() and (unit[0] in _CLOSING
                                                    or units[-1][-1] in _OPENING):
            units[-1] += unit
        else:
            units.append(unit)
    return units


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """Fill one paragraph into lines of at most ``width`` columns.

    Lines break at spaces and between Chinese characters, not inside an ASCII word (an
    option, an id, a path), not before a closing mark (，。）) nor after an opening one
    (（“). A unit wider than the line gets a line of its own.

    Examples
    --------
    >>> print(wrap("缺链和弱链：本地没有或不足 --weak-threshold 家生产企业的产品。", 24))
    缺链和弱链：本地没有或不
    足 --weak-threshold 家生
    产企业的产品。
    """
    lines: list[str] = []
    line, used, space = initial_indent, display_width(initial_indent), ""
    content = False
    for unit in _units(text):
        if unit.isspace():
            space = unit if content else ""
            continue
        wide = display_width(unit) + len(space)
        if content and used + wide > width:
            lines.append(line.rstrip())
            line = subsequent_indent + unit
            used = display_width(line)
        else:
            line += space + unit
            used += wide
        content, space = True, ""
    lines.append(line.rstrip())
    return "\n".join(lines)


def _joined(lines: Sequence[str]) -> str:
    """The lines of a paragraph as one: no space where two Chinese characters meet."""
    out = ""
    for line in lines:
        if out and not (display_width(out[-1]) == 2 and display_width(line[0]) == 2):
            out += " "
        out += line
    return out


def wrap_paragraphs(text: str, width: int, indent: str = "") -> str:
    r"""Like click's ``wrap_text(..., preserve_paragraphs=True)``, by display width.

    Paragraphs are separated by an empty line; one whose first line is ``\b`` is kept
    line by line (only indented); an indented paragraph keeps its indent.
    """
    paragraphs: list[tuple[int, bool, list[str]]] = []
    buf: list[str] = []
    first_indent: int | None = None

    def flush() -> None:
        if buf:
            raw = buf[0].strip() == NO_REWRAP
            paragraphs.append((first_indent or 0, raw, buf[1:] if raw else list(buf)))
            buf.clear()

    for line in text.expandtabs().splitlines():
        if not line:
            flush()
            first_indent = None
            continue
        if first_indent is None:
            stripped = line.lstrip()
            first_indent = len(line) - len(stripped)
            line = stripped
        buf.append(line)
    flush()
    out = []
    for extra, raw, lines in paragraphs:
        lead = indent + " " * extra
        if raw:
            out.append("\n".join(lead + line for line in lines))
        else:
            out.append(wrap(_joined([line.strip() for line in lines]), width, lead, lead))
    return "\n\n".join(out)


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` columns: cut between units and ended with ``...``.

    Examples
    --------
    >>> shorten("缺链与弱链报告：本地没有或不足的产品。", 20)
    '缺链与弱链报告...'
    """
    text = " ".join(text.split())
    if display_width(text) <= limit:
        return text
    out = ""
    for unit in _units(text):
        if display_width(out + unit) > limit - 3:
            break
        out += unit
    return out.rstrip(" ，、；：,;:") + "..."


class ChineseHelpFormatter(click.HelpFormatter):
    """click's help formatter by display width, with click's own words translated.

    Used for help pages and usage lines when the language is not English
    (:meth:`HelpContext.make_formatter`).
    """

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """``用法：chainmap gaps [OPTIONS]``, the arguments wrapped under each other."""
        if prefix is None:
            prefix = translated("Usage:")
            if prefix == "Usage:":
                prefix += " "
        pad = " " * max(self.current_indent - display_width(prefix), 0)
        usage_prefix = f"{pad}{prefix}{prog} "
        text_width = self.width - self.current_indent
        if not args:
            self.write(usage_prefix.rstrip(" ") + "\n")
            return
        if text_width >= display_width(usage_prefix) + 20:
            self.write(wrap(args, text_width, usage_prefix, " " * display_width(usage_prefix)))
        else:
            self.write(usage_prefix + "\n")
            indent = " " * (max(self.current_indent, display_width(prefix)) + 4)
            self.write(wrap(args, text_width, indent, indent))
        self.write("\n")

    def write_heading(self, heading: str) -> None:
        """``选项：``: the heading click gives (``Options``) with its colon, translated."""
        self.write(f"{'':>{self.current_indent}}{translated(heading + ':')}\n")

    def write_text(self, text: str) -> None:
        """Write ``text`` (already in its language) wrapped, its paragraphs kept."""
        self.write(wrap_paragraphs(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        """A definition list (options, commands) as click writes it, by display width."""
        rows = list(rows)
        first_col = min(max((display_width(r[0]) for r in rows), default=0),
                        col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2, 10)
            lines = wrap_paragraphs(second, text_width).splitlines()
            if not lines:
                self.write("\n")
                continue
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n" if line else "\n")


class HelpContext(click.Context):
    """The context of a :class:`ChainmapCommand`.

    It keeps the arguments given to the command, and formats help for the language of
    the page.
    """

    #: The arguments the command was given (read for ``--lang`` and ``--db`` before
    #: click processes ``--help``).
    given: list[str] | None = None
    #: The language of a usage error of the command (its usage line is shown after the
    #: command line has returned, when the language of the command is no longer in force).
    error_language: str | None = None

    def make_formatter(self) -> click.HelpFormatter:
        """Click's formatter in English, the :class:`ChineseHelpFormatter` otherwise."""
        if (self.error_language or language()) == "en":
            return super().make_formatter()
        return ChineseHelpFormatter(width=self.terminal_width, max_width=self.max_content_width)


class TranslatedUsageError(click.UsageError):
    """A usage error re-rendered in ``lang``: shown as click shows it, in that language.

    Parameters
    ----------
    message : str
        The message, in ``lang``.
    original : click.UsageError
        The error click (or a command) raised; its context and exit code are kept.
    lang : str
        The language.
    """

    def __init__(self, message: str, original: click.UsageError, lang: str) -> None:
        super().__init__(message, original.ctx)
        self.exit_code = original.exit_code
        self.original = original
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        """The usage line, the ``--help`` hint and the error, in the error's language."""
        with use_language(self.lang):
            ctx, color = self.ctx, None
            if ctx is not None:
                color = ctx.color
                hint = ""
                if ctx.command.get_help_option(ctx) is not None:
                    names = ctx.command.get_help_option_names(ctx)
                    hint = _("Try '{command} {option}' for help.").format(
                        command=ctx.command_path, option=max(names, key=len)) + "\n"
                click.echo(f"{ctx.get_usage()}\n{hint}", file=file, err=file is None,
                           color=color)
            click.echo(_("Error: {message}").format(message=self.format_message()), file=file,
                       err=file is None, color=color)


class ExtraArguments(click.UsageError):
    """Arguments left over after a command's own.

    click's ``Got unexpected extra argument``, raised by :class:`ChainmapCommand` so that
    the arguments are kept for the message in another language.
    """

    def __init__(self, extra: Sequence[str], ctx: click.Context) -> None:
        self.extra = list(extra)
        with use_language("en"):
            super().__init__(self.said(), ctx)

    def said(self) -> str:
        """The message in the current language."""
        args = " ".join(map(str, self.extra))
        return (_("Got unexpected extra argument ({args})") if len(self.extra) == 1 else
                _("Got unexpected extra arguments ({args})")).format(args=args)


def _param_hint(exc: click.BadParameter) -> str | None:
    """How click names the parameter of ``exc`` (``'--chain'``, ``'FIRM'``)."""
    if exc.param_hint is not None:
        hint = exc.param_hint
        return hint if isinstance(hint, str) else " / ".join(repr(h) for h in hint)
    if exc.param is not None:
        return exc.param.get_error_hint(exc.ctx)
    return None


def _unknown(kind: str, name: str, possibilities: Sequence[str] | None) -> str:
    """``No such option '--x'.`` (``kind`` option or command) and the names it may mean."""
    near = sorted(possibilities or ())
    names = join(repr(p) for p in near)
    if kind == "option":
        if not near:
            return _("No such option '{name}'.").format(name=name)
        if len(near) == 1:
            return _("No such option '{name}'. Did you mean {possibility}?").format(
                name=name, possibility=names)
        return _("No such option '{name}'. (Did you mean one of: {possibilities}?)").format(
            name=name, possibilities=names)
    if not near:
        return _("No such command '{name}'.").format(name=name)
    if len(near) == 1:
        return _("No such command '{name}'. Did you mean {possibility}?").format(
            name=name, possibility=names)
    return _("No such command '{name}'. (Did you mean one of: {possibilities}?)").format(
        name=name, possibilities=names)


def _given(ctx: click.Context | None, param: click.Parameter) -> list[str]:
    """What was typed for ``param`` on the command line of ``ctx``'s command."""
    if ctx is None or not isinstance(ctx.command, ChainmapCommand) or param.name is None:
        return []
    value = ctx.command.line_options(ctx).get(param.name)
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list | tuple) else []


def _invalid_value(exc: click.BadParameter) -> str:
    """The reason of a bad value.

    A choice not among the choices is said anew; any other reason is the one given
    (chainmap's own are in the language already).
    """
    param, ctx = exc.param, exc.ctx
    if param is not None and isinstance(param.type, click.Choice):
        for value in _given(ctx, param):
            if exc.message == param.type.get_invalid_choice_message(value, ctx):
                choices = [str(c) for c in param.type.choices]
                return _("'{value}' is not one of {choices}.").format(
                    value=value, choices=join(repr(c) for c in choices))
    if param is not None and isinstance(param.type, click.types.IntParamType
                                        | click.types.FloatParamType):
        for value in _given(ctx, param):
            reason = _number_reason(param.type, value)
            if reason is not None and exc.message == reason[0]:
                return reason[1]
    return exc.message


def _number_reason(kind: click.ParamType, value: str) -> tuple[str, str] | None:
    """The reason click gives for refusing the number ``value``, and the same in the language.

    ``None`` when ``kind`` takes ``value`` (or its reason is not one of these two).
    Two reasons: not a number (``'abc' is not a valid integer.``) and out of the range
    (``0 is not in the range x>=1.``, the range as the help page writes it).
    """
    try:
        kind.convert(value, None, None)
    except click.BadParameter as bad:
        english = bad.message
    else:
        return None
    whole = isinstance(kind, click.types.IntParamType)
    try:
        (int if whole else float)(value)
    except ValueError:
        text = _("'{value}' is not a whole number.") if whole else \
            _("'{value}' is not a number.")
        return english, text.format(value=value)
    found = re.fullmatch(r"(.+) is not in the range (.+)\.", english)
    if found is None:
        return None
    return english, _("{value} is not in the range {range}.").format(
        value=found[1], range=found[2])


#: click 8.4's error for an unknown command (before, a plain usage error: left as it is).
_NO_SUCH_COMMAND: type[click.UsageError] | None = getattr(click.exceptions, "NoSuchCommand", None)


def _message(exc: click.UsageError) -> str | None:
    """The message of ``exc`` in the current language, made from its attributes.

    ``None`` when they do not say what it is (then it stays as it was written).
    """
    if isinstance(exc, click.MissingParameter):
        hint = _param_hint(exc)
        kind = exc.param_type or (exc.param.param_type_name if exc.param else None)
        if hint is None or kind not in ("argument", "option", "parameter"):
            return None
        message = {"argument": _("Missing argument {name}."),
                   "option": _("Missing option {name}."),
                   "parameter": _("Missing parameter {name}.")}[kind].format(name=hint)
        extra = []
        if exc.message:
            extra.append(exc.message)
        if exc.param is not None and isinstance(exc.param.type, click.Choice):
            extra.append(_("Choose from:\n\t{choices}").format(
                choices=",\n\t".join(str(c) for c in exc.param.type.choices)))
        elif exc.param is not None:
            more = exc.param.type.get_missing_message(param=exc.param, ctx=exc.ctx)
            if more:
                extra.append(more)
        return " ".join([message, *extra])
    if isinstance(exc, click.BadParameter):
        hint = _param_hint(exc)
        if hint is None:
            return _("Invalid value: {message}").format(message=_invalid_value(exc))
        return _("Invalid value for {param_hint}: {message}").format(
            param_hint=hint, message=_invalid_value(exc))
    if isinstance(exc, click.NoSuchOption):
        return _unknown("option", exc.option_name, exc.possibilities)
    if _NO_SUCH_COMMAND is not None and isinstance(exc, _NO_SUCH_COMMAND):
        return _unknown("command", getattr(exc, "command_name", ""),
                        getattr(exc, "possibilities", None))
    if isinstance(exc, ExtraArguments):
        return exc.said()
    if isinstance(exc, click.BadOptionUsage) and \
            exc.message == f"Option {exc.option_name!r} requires an argument.":
        return _("Option '{name}' requires a value.").format(name=exc.option_name)
    return None


def in_language(exc: click.UsageError, lang: str) -> click.UsageError:
    """``exc`` as it is shown in ``lang``.

    Itself in English (or if already rendered), else a :class:`TranslatedUsageError`.

    The message is made anew from the exception's attributes where click keeps them (a
    missing or bad parameter, an unknown option or command, extra arguments); otherwise
    the message is the one raised (chainmap's own are already in the language in force
    when they were raised). The usage line, the ``--help`` hint and ``Error:`` follow
    ``lang`` in any case.

    Parameters
    ----------
    exc : click.UsageError
        The error.
    lang : str
        ``en`` or ``zh``.

    Returns
    -------
    click.UsageError
        The error to raise.
    """
    if isinstance(exc, TranslatedUsageError | click.exceptions.NoArgsIsHelpError):
        return exc
    if isinstance(exc.ctx, HelpContext):  # its usage line is shown later: in this language
        exc.ctx.error_language = lang
    if lang == "en":
        return exc
    with use_language(lang):
        message = _message(exc)
    return TranslatedUsageError(exc.format_message() if message is None else message, exc, lang)


class ChainmapCommand(click.Command):
    """A command whose ``--help`` and usage errors speak the language of the command.

    Every command of ``chainmap`` is one (:class:`~chainmap.cli.errors.ChainmapGroup` is
    one too). In English it is click's ``Command`` to the byte.
    """

    context_class = HelpContext

    # --- the language --------------------------------------------------------------

    def line_options(self, ctx: click.Context) -> dict[str, Any]:
        """The options given to this command on the command line, by name, as typed.

        Read with the command's own parser, unknown options let through, without
        processing anything: so ``--lang`` is known before click processes an eager
        ``--help`` written in front of it.
        """
        given = getattr(ctx, "given", None)
        if not given:
            return {}
        parser = self.make_parser(ctx)
        parser.ignore_unknown_options = True
        try:
            opts, _args, _order = parser.parse_args(args=list(given))
        except click.UsageError:
            return {}
        return opts

    def language_of(self, ctx: click.Context) -> str:
        """The language of this command's help page and usage errors (see the module)."""
        options = self.line_options(ctx)
        own = options.get("lang")
        if own in LANGUAGES:  # not chart's "both"
            return str(own)
        if ctx.parent is None and ctx.obj is None and not env_lang() \
                and options.get("store") != "neo4j":
            # the main group's callback (which sets ctx.obj) has not read the workspace's
            # config lang yet: its own help, a usage error of its options or an unknown command
            db = options.get("db")
            config = Context(db if isinstance(db, str) else None).config_lang()
            if config in LANGUAGES:
                return str(config)
        return language()

    # --- click's hooks -------------------------------------------------------------

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse as click does, keeping the arguments.

        A usage error speaks the command's language; extra arguments are refused by
        :class:`ExtraArguments`.
        """
        if isinstance(ctx, HelpContext):
            ctx.given = list(args)
        extra_allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
            if rest and not extra_allowed and not ctx.resilient_parsing:
                raise ExtraArguments(rest, ctx)
        except click.UsageError as exc:
            shown = in_language(exc, self.language_of(ctx))
            if shown is exc:
                raise
            raise shown from exc
        finally:
            ctx.allow_extra_args = extra_allowed
        return rest

    def get_help(self, ctx: click.Context) -> str:
        """The help page in the language of the command."""
        with use_language(self.language_of(ctx)):
            return super().get_help(ctx)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The help text, translated."""
        if language() == "en" or self.deprecated or not self.help:
            super().format_help_text(ctx, formatter)
            return
        text = inspect.cleandoc(self.help).partition("\f")[0]
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(translated(text))

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The options, their help and click's notes (default, env var) translated."""
        if language() == "en":
            super().format_options(ctx, formatter)
            return
        rows = [row for param in self.get_params(ctx)
                if (row := option_help_record(param, ctx)) is not None]
        if rows:
            with formatter.section("Options"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)


def option_help_record(param: click.Parameter, ctx: click.Context) -> tuple[str, str] | None:
    """``(names, help)`` of ``param`` on a help page in the current language.

    As click's ``Option.get_help_record``, with the help and click's notes translated:
    ``[默认：table]``, ``[环境变量：CHAINMAP_DB]``, ``[必填]``.
    """
    record = param.get_help_record(ctx)
    if record is None or not isinstance(param, click.Option):
        return record
    text = translated(param.help) if param.help else ""
    extra = param.get_help_extra(ctx)
    items = []
    if "envvars" in extra:
        items.append(translated("env var: {var}").format(var=", ".join(extra["envvars"])))
    if "default" in extra:
        default = extra["default"]
        if isinstance(param.show_default, str):
            default = f"({translated(param.show_default)})"
        items.append(translated("default: {default}").format(default=default))
    if "range" in extra:
        items.append(extra["range"])
    if "required" in extra:
        items.append(translated(extra["required"]))
    if items:
        notes = translated("; ").join(items)
        text = f"{text}  [{notes}]" if text else f"[{notes}]"
    return record[0], text


def short_help(command: click.Command, limit: int) -> str:
    """The short help of ``command`` in a command list, translated.

    Cut to ``limit`` columns; click's own when the catalogue has none.
    """
    return listed_help(command.get_short_help_str(sys.maxsize), limit)


def listed_help(full: str, limit: int) -> str:
    """A command's short help ``full`` (uncut) as a command list shows it, translated.

    The catalogue's translation cut to ``limit`` columns; else cut as click cuts a
    short help (:func:`click.utils.make_default_short_help`).
    """
    text = translated(full)
    if text == full:
        return click.utils.make_default_short_help(full, limit)
    return shorten(text, limit)


def format_commands(group: click.Group, ctx: click.Context,
                    formatter: click.HelpFormatter) -> None:
    """The command list of ``group``, its short help translated (click's ``format_commands``)."""
    commands = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is not None and not command.hidden:
            commands.append((name, command))
    if not commands:
        return
    limit = formatter.width - 6 - max(len(name) for name, _c in commands)
    rows = [(name, short_help(command, limit)) for name, command in commands]
    with formatter.section("Commands"):
        formatter.write_dl(rows)
