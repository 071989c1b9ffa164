"""The service commands after signing: ``service ...`` (1+1+1, requests, visits, report).

Thin wrappers over :mod:`chainmap.crm.service`. Ids of new records go to stdout,
messages to stderr. :func:`people` gives the after-signing reports their Chinese words
under ``--lang zh`` (codes as labels; JSON keeps the codes).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..crm.kinds import REQUEST_WORDS, VISIT_WORDS, kind_help
from ..i18n import _, label, language
from . import options
from .context import Context, pass_ctx
from .errors import ChainmapGroup
from .report import emit, report, say

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COMMANDS", "people"]

AS_OF = click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
                     help="The day to report on (default today).")
#: ``--kind`` of a request: every word :func:`~chainmap.crm.kinds.parse_request_kind` takes.
KIND_HELP = kind_help(REQUEST_WORDS)


def people(frame: pd.DataFrame, lang: str, fmt: str,
           headers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``frame`` with its codes as words under ``--lang zh``, except for JSON (codes).

    :func:`chainmap.output.code_words`, which the reports' notebook views share.
    """
    from ..output import code_words

    return frame if fmt == "json" else code_words(frame, lang, headers)


def sheet_names(sheets: Mapping[str, pd.DataFrame], lang: str,
                fmt: str) -> dict[str, pd.DataFrame]:
    """The sections of a report named in ``lang`` for a table or Markdown."""
    if lang != "zh" or fmt not in ("table", "md"):
        return dict(sheets)
    return {label("sheet", name, "zh"): frame for name, frame in sheets.items()}


@click.group("service", cls=ChainmapGroup)
def service() -> None:
    r"""After signing: the 1+1+1 service of firms, their requests (诉求) and visits.

    \b
    1+1+1 (联系企业制): each firm has a contact, a service officer (服务专员) and a leader.
    Requests: R0001 ..., owned by the firm's officer; progress notes; closed (销号) with
    a note. Visits (四送一服): 送政策, 送要素, 送项目, 服务.
    """


@service.command("assign")
@click.argument("firm")
@click.option("--contact", metavar="NAME[:PHONE]", help="The firm's contact (联系人), with "
              "the phone after a colon ('' clears).")
@click.option("--phone", help="The contact's phone.")
@click.option("--officer", metavar="NAME", help="The zone's service officer (服务专员).")
@click.option("--leader", metavar="NAME", help="The responsible leader (联系领导).")
@options.BY
@options.LANG
@pass_ctx
def assign_service(c: Context, firm: str, contact: str | None, phone: str | None,
                   officer: str | None, leader: str | None, by: str | None) -> None:
    """Set the 1+1+1 people of FIRM (id, USCC or registered name)."""
    import chainmap

    given = {k: v for k, v in {"contact": contact, "phone": phone, "officer": officer,
                               "leader": leader}.items() if v is not None}
    changes = chainmap.assign_service(c.ws, firm, by=by, **given)
    for line in changes or [_("nothing changed")]:
        say(line)


@service.command("firms")
@options.home_option("Whose firms: those inside this region (default: chainmap config "
                     "home); firms with 1+1+1 people elsewhere are listed too.")
@click.option("--unassigned", is_flag=True, help="Only firms without a service officer.")
@click.option("--officer", metavar="NAME", help="Only this officer's firms (a workload).")
@AS_OF
@options.FORMAT
@options.LANG
@pass_ctx
def service_firms(c: Context, home: str | None, unassigned: bool, officer: str | None,
                  as_of: str | None, fmt: str) -> None:
    """Local firms with their contact, officer and leader, open and overdue requests, visits."""
    import chainmap

    lang = language()
    frame = chainmap.service_firms(c.ws, home=home, unassigned=unassigned, officer=officer,
                                   as_of=as_of)
    report({"firms": people(frame, lang, fmt)}, fmt, None, lang)
    say(_("{firms} firm(s), {open} open request(s), {late} past due")
        .format(firms=len(frame), open=int(frame["open_requests"].sum()),
                late=int(frame["past_due"].sum())))


@service.command("request")
@click.argument("firm")
@click.argument("text")
@click.option("--kind", required=True, help=KIND_HELP)
@click.option("--due", metavar="YYYY-MM-DD", help="When it is to be solved.")
@options.DATE
@click.option("--officer", metavar="NAME", help="Who owns it (default: the firm's officer).")
@options.BY
@options.LANG
@pass_ctx
def add_request(c: Context, firm: str, text: str, kind: str, due: str | None,
                date: str | None, officer: str | None, by: str | None) -> None:
    """Record FIRM's request (诉求) TEXT; print its id (R0001 ...)."""
    import chainmap

    emit(chainmap.add_request(c.ws, firm, text, kind, due=due, date=date, officer=officer,
                              by=by))


@service.command("progress")
@click.argument("request")
@click.option("--note", required=True, help="What was done.")
@options.DATE
@options.BY
@options.LANG
@pass_ctx
def record_progress(c: Context, request: str, note: str, date: str | None,
                    by: str | None) -> None:
    """Note progress on REQUEST (R0001)."""
    import chainmap

    rid = chainmap.record_progress(c.ws, request, note, date=date, by=by)
    say(_("{request}: progress noted").format(request=rid))


@service.command("close")
@click.argument("request")
@click.option("--note", required=True, help="How it was solved (required).")
@options.DATE
@options.BY
@options.LANG
@pass_ctx
def close_request(c: Context, request: str, note: str, date: str | None,
                  by: str | None) -> None:
    """Close REQUEST (销号) with a note on how it was solved."""
    import chainmap

    rid = chainmap.close_request(c.ws, request, note, date=date, by=by)
    say(_("{request} closed").format(request=rid))


@service.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only requests not closed.")
@click.option("--overdue", "past_due", is_flag=True,
              help="Only open requests past their due date.")
@click.option("--officer", metavar="NAME", help="Only this officer's requests.")
@click.option("--kind", help=KIND_HELP)
@click.option("--firm", help="Only this firm's requests.")
@AS_OF
@options.FORMAT
@options.LANG
@pass_ctx
def list_requests(c: Context, open_only: bool, past_due: bool, officer: str | None,
                  kind: str | None, firm: str | None, as_of: str | None, fmt: str) -> None:
    """List requests as they stood on --as-of: days, past due, on time, progress notes."""
    import chainmap

    from ..output import REQUEST_HEADERS

    lang = language()
    frame = chainmap.list_requests(c.ws, open_only=open_only, past_due=past_due,
                                   officer=officer, kind=kind, firm=firm, as_of=as_of)
    report({"requests": people(frame, lang, fmt, REQUEST_HEADERS)}, fmt, None, lang)


@service.command("visit")
@click.argument("firm")
@click.option("--kind", required=True, help=kind_help(VISIT_WORDS))
@click.option("--note", required=True, help="What was brought or done.")
@options.DATE
@click.option("--officer", metavar="NAME",
              help="Who visited (default: the firm's officer, else --by).")
@options.BY
@options.LANG
@pass_ctx
def log_visit(c: Context, firm: str, kind: str, note: str, date: str | None,
              officer: str | None, by: str | None) -> None:
    """Record a 四送一服 visit to FIRM; print its id (V0001 ...)."""
    import chainmap

    emit(chainmap.log_visit(c.ws, firm, kind, note, date=date, officer=officer, by=by))


@service.command("report")
@click.option("--from", "start", metavar="YYYY-MM-DD",
              help="First day requests were made (default: the first request).")
@click.option("--to", "end", metavar="YYYY-MM-DD",
              help="Last day requests were made, included (default: --as-of).")
@AS_OF
@options.REPORT_FORMAT
@options.OUTPUT
@options.LANG
@pass_ctx
def service_report(c: Context, start: str | None, end: str | None, as_of: str | None,
                   fmt: str, output: Path | None) -> None:
    r"""How the requests made in a period were served, per kind, per officer, in total.

    \b
    total, closed (by --as-of), closed_on_time (on or before due; no due: on time),
    still_open, past_due, close_rate = closed / total, on_time_rate =
    closed_on_time / total, median_days_to_close; and the period's visits by kind.
    """
    import chainmap

    lang = language()
    found = chainmap.service_report(c.ws, start=start, end=end, as_of=as_of)
    # JSON keeps the codes; the rest as a notebook shows the report (people_sheets)
    sheets = found.sheets() if fmt == "json" else found.people_sheets(lang)
    report(sheet_names(sheets, lang, fmt), fmt, output, lang, c.ws)
    say(found.heading)


#: The commands of this module, for the main group.
COMMANDS = (service,)
