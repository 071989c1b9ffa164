"""Fuzz the import (issue 14, item 4): thousands of damaged datasets, outcomes counted.

The mutations and the judge are tests/fuzz_cases.py's (the same as
tests/test_fuzz_import.py, which CI runs with a few hundred examples). Each example
damages the bundled sample, a small synthetic dataset or a workbook of either and imports
it into a copy of a workspace holding the sample, through the library (and ``--cli``
share of them through the command line). An outcome is ``ok``, ``error:CODE`` (a clean
error, the workspace unchanged), or a bug: ``internal:...`` (a traceback or an internal
error) or ``changed:...`` (a clean error that left the workspace changed). Bugs are
listed with their mutations and the damaged file is kept under ``--keep``.

Usage::

    python benchmarks/fuzz.py --examples 10000
    python benchmarks/fuzz.py --examples 2000 --seed 7 --keep /tmp/fuzz-bugs

Exit status 1 when any bug was found.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests import fuzz_cases as fc  # noqa: E402

#: What share of the examples each family gets.
SHARES = {"csv-sample": 0.35, "csv-synth": 0.25, "xlsx": 0.30, "cli": 0.10}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000, help="in all (10000)")
    parser.add_argument("--seed", type=int, default=None, help="random unless given")
    parser.add_argument("--minutes", type=float, default=None,
                        help="a time budget: examples after it are not run (and not "
                             "counted)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="a folder to keep the damaged files of bugs in")
    args = parser.parse_args(argv)
    run_seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    counts: dict[str, collections.Counter[str]] = {k: collections.Counter() for k in SHARES}
    bugs: list[tuple[str, list[str], str]] = []
    start = time.perf_counter()

    def judge(family: str, names: list[str], outcome: str) -> None:
        counts[family][outcome[:200]] += 1
        if fc.is_bug(outcome):
            bugs.append((family, names, outcome))

    csv_list = st.lists(fc.csv_mutation(), min_size=1, max_size=3)
    xlsx_list = st.lists(fc.xlsx_mutation(), min_size=1, max_size=2)
    # the families interleaved (in SHARES' proportions), so that a time budget cuts
    # every family alike
    families = [f for f, share in SHARES.items() for _ in range(round(share * 20))]
    case = st.sampled_from(families).flatmap(lambda family: st.tuples(
        st.just(family),
        csv_list if family.startswith("csv") else
        st.tuples(st.sampled_from(["inline", "shared"]), xlsx_list) if family == "xlsx"
        else st.one_of(st.tuples(st.just("csv"), csv_list),
                       st.tuples(st.just("xlsx"), xlsx_list))))

    def judge_case(family, kind, base, mutations):
        names = [name for name, _ in mutations]
        cli = family == "cli"
        if kind == "csv":
            files = fc.sample_files() if base == "sample" else fc.synth_files()
            outcome = fc.csv_outcome(files, mutations, cli=cli)
        else:
            data = fc.xlsx_inline() if base == "inline" else fc.xlsx_shared()
            outcome = fc.xlsx_outcome(data, mutations, cli=cli)
        judge(family, [kind, base, *names], outcome)
        if fc.is_bug(outcome) and args.keep:
            _keep(args.keep, len(bugs), kind, base, mutations)

    deadline = start + args.minutes * 60 if args.minutes else None

    @seed(run_seed)
    @settings(max_examples=args.examples, deadline=None, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case)
    def one(c) -> None:
        if deadline is not None and time.perf_counter() > deadline:
            return  # over the time budget: the rest are drawn but not run
        family, payload = c
        if family == "csv-sample":
            judge_case(family, "csv", "sample", payload)
        elif family == "csv-synth":
            judge_case(family, "csv", "synth", payload)
        elif family == "xlsx":
            judge_case(family, "xlsx", payload[0], payload[1])
        else:
            kind, mutations = payload
            judge_case(family, kind, "sample" if kind == "csv" else "inline", mutations)

    fc.template_db(), fc.sample_files(), fc.synth_files(), fc.xlsx_inline(), fc.xlsx_shared()
    one()
    seconds = time.perf_counter() - start

    total = sum(sum(c.values()) for c in counts.values())
    print(f"# chainmap import fuzzing: {total} examples run (of {args.examples} asked), "
          f"seed {run_seed}, "
          f"{seconds:.0f} s, load {os.getloadavg()[0]:.2f}")
    for family, counter in counts.items():
        print(f"\n## {family}: {sum(counter.values())} examples")
        for outcome, n in counter.most_common():
            print(f"  {n:6d}  {outcome}")
    print(f"\nbugs: {len(bugs)}")
    for family, names, outcome in bugs[:50]:
        print(f"  {family} {' + '.join(names)}: {outcome}")
    return 1 if bugs else 0


def _keep(folder: Path, number: int, kind: str, base: str, mutations) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "csv":
        files = fc.sample_files() if base == "sample" else fc.synth_files()
        for _name, mutate in mutations:
            files = mutate(files)
        fc.write_dataset(folder / f"bug{number}", files)
    else:
        data = fc.xlsx_inline() if base == "inline" else fc.xlsx_shared()
        for _name, mutate in mutations:
            data = mutate(data)
        (folder / f"bug{number}.xlsx").write_bytes(data)


if __name__ == "__main__":
    sys.exit(main())
