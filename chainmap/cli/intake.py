"""``chainmap classify`` (``accept``, ``reject``) and ``chainmap chains ...``.

Putting imported firms on the chain, the person's review, and the reference chains.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import _, label, language
from . import options
from .context import Context, pass_ctx
from .errors import ChainmapGroup
from .report import report, say

__all__ = ["COMMANDS"]

_REVIEW_FORMATS = ("table", "json", "csv", "xlsx")


@click.group("classify", cls=ChainmapGroup, invoke_without_command=True)
@options.chain_option("Only the products of this chain (id or name, e.g. 智能家电); "
                      "default every product.")
@options.format_option(_REVIEW_FORMATS, "Output format; xlsx (the review sheet, with a "
                       "是否采纳 column) needs -o FILE.")
@options.OUTPUT
@options.LANG
@click.pass_context
def classify(ctx: click.Context, chain: str | None, fmt: str, output: Path | None) -> None:
    r"""Propose which active firm makes which product, as suggestions to review.

    From each firm's 主营产品, 经营范围 and 国标行业; suggestions count nowhere until
    accepted.

    \b
    Grades: strong (主营产品, or 经营范围 with 制造/生产...), medium (no verb, or the
    国标行业 only), weak (销售/维修/技术服务... only: a trader is not a maker).
    Pairs already confirmed or rejected are not proposed again.
    Review: 'chainmap classify accept --min strong', or write the review sheet with
    '--format xlsx -o review.xlsx', fill 是否采纳 with 是/否 and run
    'chainmap classify accept review.xlsx'.
    """
    if ctx.invoked_subcommand is not None:
        return
    import chainmap

    from ..files import write_xlsx
    from ..output import localize

    c: Context = ctx.obj
    found = chainmap.classify(c.ws, chain=chain)
    sheet_out = fmt == "xlsx" or (output is not None and output.suffix.lower() == ".xlsx")
    if sheet_out:
        if output is None:
            raise chainmap.ChainmapError(_("--format xlsx needs -o FILE.xlsx"))
        # the review sheet: accept reads the first sheet, whatever its name
        # headers in the language of the command: accept reads either language's
        sheet = localize(chainmap.review_sheet(found), language())
        # English: the sheet keeps its name, as the report workbooks' sheets do
        title = "review" if language() == "en" else label("sheet", "review")
        # a drop-down of the words accept reads (it reads many more: √, 同意, y ...)
        words = ["yes", "no"] if language() == "en" else ["是", "否"]
        write_xlsx({title: sheet}, output, fit=True,
                   choices={title: {str(sheet.columns[-1]): words}})
        say(_("Wrote {file}").format(file=output))
    elif fmt == "csv":
        report({"review": chainmap.review_sheet(found)}, fmt, output)
    elif fmt == "table" and output is None:
        view = found[["company_name", "product_name", "evidence", "field", "text"]]
        report({"classify": view}, fmt, None)
    else:
        report({"classify": found}, fmt, output)
    counts = found["evidence"].value_counts()
    grades = _("{strong} strong, {medium} medium, {weak} weak").format(
        **{g: counts.get(g, 0) for g in ("strong", "medium", "weak")})
    if not len(found):
        say(_("No suggestions: no active firm's 主营产品, 经营范围 or 国标行业 names an "
              "undecided product"))
        return
    if sheet_out:
        say(_("{count} suggestion(s) ({grades}); fill the 是否采纳 column of {file} with yes "
              "or no (是/否), then run 'chainmap classify accept {file}'").format(
                  count=len(found), grades=grades, file=output))
        return
    say(_("{count} suggestion(s) ({grades}); accept them with 'chainmap classify accept' "
          "(--min strong) or review the sheet of --format xlsx").format(count=len(found),
                                                                        grades=grades))


@classify.command("accept")
@click.argument("source", metavar="[FILE]", required=False,
                type=click.Path(path_type=Path))
@click.option("--min", "min_evidence", type=click.Choice(("strong", "medium", "weak")),
              default="strong", show_default=True,
              help="Without FILE: confirm the suggestions graded this or better.")
@options.chain_option("Without FILE: only the products of this chain.")
@options.BY
@options.FORMAT
@options.LANG
@pass_ctx
def accept(c: Context, source: Path | None, min_evidence: str, chain: str | None,
           by: str | None, fmt: str) -> None:
    """Confirm suggested links, by grade or as a reviewed sheet says.

    Without FILE, every suggestion graded --min or better; with FILE, the review sheet
    of 'classify --format xlsx' (是否采纳: 是/yes/1 confirmed, 否/no/0 rejected, blank
    left suggested). All or nothing; every decision goes to the audit log.
    """
    import chainmap

    decided = chainmap.accept(c.ws, source, min_evidence=min_evidence, chain=chain, by=by)
    view = decided if fmt != "table" else \
        decided[["company_name", "product_name", "evidence", "status"]]
    report({"accept": view}, fmt, None, ws=c.ws)
    yes = int((decided["status"] == "confirmed").sum())
    say(_("{confirmed} link(s) confirmed, {rejected} rejected").format(
        confirmed=yes, rejected=len(decided) - yes))


@classify.command("reject")
@click.argument("company")
@click.argument("product")
@options.BY
@options.LANG
@pass_ctx
def reject(c: Context, company: str, product: str, by: str | None) -> None:
    """Reject the link COMPANY makes PRODUCT: counted nowhere, never proposed again.

    The firm by id, USCC or name; the product by id or name.
    """
    import chainmap

    row = chainmap.reject(c.ws, company, product, by=by).iloc[0]
    say(_("Rejected: {firm_name} ({firm}) makes {product_name} ({product}); it will not be "
          "proposed again").format(firm_name=row["company_name"], firm=row["company"],
                                   product_name=row["product_name"], product=row["product"]))


@click.group("chains", cls=ChainmapGroup)
def chains() -> None:
    """Reference chain templates (参考产业链模板): list them, add one to the workspace."""


@chains.command("list")
@options.FORMAT
@options.LANG
def templates(fmt: str) -> None:
    """The shipped reference chains (参考产业链模板), each a reference for editing.

    Products, tiers (upstream/midstream/downstream) and, in json/csv/md, the documents
    each was compiled from.
    """
    import chainmap

    found = chainmap.templates()
    report({"chains": found.drop(columns=["source"]) if fmt == "table" else found}, fmt, None)


@chains.command("add")
@click.argument("name")
@options.LANG
@pass_ctx
def add_chain(c: Context, name: str) -> None:
    """Add the reference chain NAME (id, Chinese or English name, e.g. 工业机器人).

    Its products, tiers, keywords and input edges. Products already there keep their
    fields and chains (blank fields are filled); adding it again changes nothing.
    """
    import chainmap

    result = chainmap.add_chain(c.workspace(create=True), name)
    say(_("{result} into {workspace}").format(result=result, workspace=c.ws.location))
    if not any(result.added.values()):
        say(_("Nothing changed: the workspace has this chain already"))


#: The commands of this module, for the main group.
COMMANDS = (classify, chains)
