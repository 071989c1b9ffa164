"""What every command gets from the main group: the workspace, and the language it speaks.

The workspace is opened when first used. The language of a command, first to last: its
``--lang``, ``CHAINMAP_LANG``, the workspace's ``chainmap config lang``, English.
:func:`speak` puts one in force until the command line returns; the error handler
(:mod:`.errors`) reports errors in it.
"""

from __future__ import annotations

import contextlib
import os
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..i18n import LANGUAGES, use_language

if TYPE_CHECKING:
    from ..store.neo4j import Neo4jStore
    from ..workspace import Workspace

__all__ = ["Context", "env_lang", "lang_from_option", "pass_ctx", "speak"]

#: ``ctx.meta`` keys: the stack of the languages in force (kept by the main group), whether
#: ``--lang`` was given, and whether the workspace's ``config lang`` is in force.
LANG_STACK = "chainmap.lang.stack"
LANG_GIVEN = "chainmap.lang.given"
LANG_CONFIG = "chainmap.lang.config"
#: ``ctx.meta`` key: the main group's own ``--lang``, read while its options are parsed and
#: spoken once it runs (:class:`~chainmap.cli.errors.ChainmapGroup` keeps the stack then).
LANG_PENDING = "chainmap.lang.pending"


def speak(ctx: click.Context, lang: str) -> None:
    """Speak ``lang`` until the command line returns.

    The language is entered on the stack the main group keeps around the whole
    invocation (:class:`~chainmap.cli.errors.ChainmapGroup`), else on the outermost
    context, so that it is reset when the command line returns.

    Parameters
    ----------
    ctx : click.Context
        The context of the command being run.
    lang : str
        ``en`` or ``zh``.
    """
    stack: ExitStack | None = ctx.meta.get(LANG_STACK)
    if stack is not None:
        stack.enter_context(use_language(lang))
    elif ctx.parent is None and isinstance(ctx.command, click.Group):
        # the main group's --lang, before the group runs: a --help or usage error of its
        # own options ends it before its context is closed, so nothing is entered yet
        ctx.meta[LANG_PENDING] = lang
    else:
        ctx.find_root().with_resource(use_language(lang))


def lang_from_option(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """The callback of ``--lang``: speak ``en`` or ``zh`` (``both``, of charts: no change)."""
    if value in LANGUAGES:
        ctx.meta[LANG_GIVEN] = True
        speak(ctx, value)
    return value


def env_lang() -> bool:
    """Whether ``CHAINMAP_LANG`` is set (it then outranks the workspace's config)."""
    return bool(os.environ.get("CHAINMAP_LANG", "").strip())


class Context:
    """The options of the main group, and the workspace they name.

    Parameters
    ----------
    db : str or None
        The workspace: a SQLite file, or a Neo4j URI (``--store neo4j``).
    neo4j : dict or None
        ``uri``, ``user`` and ``database`` of the Neo4j server.
    """

    def __init__(self, db: str | None, neo4j: dict | None = None) -> None:
        self.db = db
        self.neo4j = neo4j or {}
        self._ws: Workspace | None = None
        #: A workspace file this command made: its path and first revision.
        self._new: tuple[Path, int] | None = None

    @property
    def ws(self) -> Workspace:
        """The workspace, opened on first use; one that does not exist is an error.

        Then its ``config lang`` is spoken, unless ``--lang`` or ``CHAINMAP_LANG`` says
        otherwise (or it was read already, by :meth:`peek_lang`). A command that may
        make a new workspace (an import, a setting) opens it with :meth:`workspace`
        first.
        """
        return self.workspace()

    def workspace(self, create: bool = False) -> Workspace:
        """The workspace, opened on first use, made anew when ``create`` and not there.

        A report on a workspace file that does not exist says so (``no workspace at
        ...``) instead of showing an empty workspace and leaving its file behind.
        """
        if self._ws is None:
            import chainmap

            from ..workspace import workspace_path

            location = workspace_path(self.db)
            new = create and "://" not in location and location != ":memory:" \
                and not Path(location).exists()
            self._ws = chainmap.open(self.db, create=create, user=self.neo4j.get("user"),
                                     database=self.neo4j.get("database"))
            if new:
                self._new = (Path(location), self._ws.store.revision())
            ctx = click.get_current_context(silent=True)
            if ctx is not None and not ctx.meta.get(LANG_CONFIG) \
                    and not ctx.meta.get(LANG_GIVEN) and not env_lang():
                self._speak_config(ctx, self._ws.lang)
        return self._ws

    def peek_lang(self, ctx: click.Context) -> None:
        """Speak the ``config lang`` of an existing SQLite workspace file, read without opening it.

        So commands that never open the workspace speak it too. ``CHAINMAP_LANG`` comes
        first; a ``--lang`` (before the command, or the command's own) first again.
        """
        if env_lang() or ctx.meta.get(LANG_GIVEN):
            return
        self._speak_config(ctx, self.config_lang())

    def config_lang(self) -> str | None:
        """The ``config lang`` of an existing SQLite workspace file, read without opening it.

        Returns
        -------
        str or None
            ``None`` when there is no such file (or the workspace is on a server).
        """
        location = self.db or os.environ.get("CHAINMAP_DB") or "chainmap.db"
        if "://" in location or location == ":memory:" or not Path(location).is_file():
            return None
        from ..peek import peek_config  # not the store: no pandas for a --help

        return peek_config(location, "lang")

    @staticmethod
    def _speak_config(ctx: click.Context, lang: str | None) -> None:
        if lang in LANGUAGES:
            ctx.meta[LANG_CONFIG] = True
            speak(ctx, lang)

    def neo4j_store(self) -> Neo4jStore:
        """The Neo4j server named by --neo4j-uri / NEO4J_URI (for push and pull)."""
        from ..store.neo4j import Neo4jStore

        return Neo4jStore(self.neo4j.get("uri"), user=self.neo4j.get("user"),
                          database=self.neo4j.get("database"))

    def close(self) -> None:
        """Close the workspace if it was opened.

        A workspace file this command made and wrote nothing into (an import that
        failed) is removed, with its journals: the folder is left as it was.
        """
        if self._ws is None:
            return
        unwritten = False
        if self._new is not None:
            with contextlib.suppress(Exception):  # whatever went wrong was said already
                unwritten = self._ws.store.revision() == self._new[1]
        self._ws.close()
        if unwritten and self._new is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    os.remove(f"{self._new[0]}{suffix}")


#: Passes the :class:`Context` to a command as its first argument.
pass_ctx = click.make_pass_decorator(Context)
