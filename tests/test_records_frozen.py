"""Result records are frozen (issue 9): a caller cannot change what a call returned."""

import dataclasses

import pytest

from chainmap.analysis.anchor import AnchorReport
from chainmap.analysis.impact import ImpactReport
from chainmap.crm.identity import MergePlan
from chainmap.crm.leads import FromGapsResult, LeadDetails
from chainmap.crm.leads_io import LeadsImport
from chainmap.crm.pipeline import Pipeline
from chainmap.errors import Finding
from chainmap.io.validate import Dataset
from chainmap.regions import Region
from chainmap.workspace import ImportResult

RECORDS = [ImportResult, Dataset, Pipeline, LeadDetails, MergePlan, FromGapsResult,
           LeadsImport, Region, Finding, AnchorReport, ImpactReport]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.__name__)
def test_result_records_are_frozen(record):
    assert dataclasses.is_dataclass(record)
    assert record.__dataclass_params__.frozen


def test_an_applied_merge_plan_is_a_new_record():
    import chainmap

    ws = chainmap.open(":memory:")
    chainmap.import_dataset(ws, chainmap.sample_path())
    pair = chainmap.duplicate_firms(ws).iloc[0]
    plan = chainmap.merge_firms(ws, pair["keep"], pair["drop"])
    assert not plan.applied
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.applied = True  # type: ignore[misc]
    done = chainmap.merge_firms(ws, pair["keep"], pair["drop"], apply=True)
    assert done.applied and (done.keep, done.drop) == (pair["keep"], pair["drop"])
    assert str(done).splitlines()[1].startswith("  moved: ")
