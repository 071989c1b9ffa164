"""chainmap.labels: the stage, tier, status and severity words are held once."""

from __future__ import annotations

import chainmap.charts as charts
import chainmap.output as output
import chainmap.viz as viz
from chainmap import labels
from chainmap.crm import common


def test_charts_viz_and_output_use_the_one_copy():
    assert charts.STAGE_ZH is labels.STAGE_ZH
    assert charts.STATUS_ZH is viz.STATUS_ZH is labels.STATUS_ZH
    assert charts.TIER_ZH is viz.TIER_ZH is labels.TIER_ZH
    for words in (labels.STATUS_ZH, labels.TIER_ZH, labels.SEVERITY_ZH):
        assert words.items() <= output.VALUES_ZH.items()


def test_stages_agree_with_the_pipeline():
    # chainmap.crm.common still spells the stages out; they must not drift from labels
    assert common.STAGES is labels.STAGES
    assert common.STAGE_ZH == labels.STAGE_ZH


def test_orders_and_the_unspecified_tier():
    assert list(labels.STAGE_ZH) == list(labels.STAGES)
    assert list(labels.TIER_ZH) == [*labels.TIERS, labels.UNSPECIFIED]
    assert list(labels.STATUS_ZH) == list(labels.STATUSES)
    assert list(labels.SEVERITY_ZH) == list(labels.SEVERITIES)
    assert labels.TIER_ZH["unspecified"] == "未分环节"
    for blank in ("", None, float("nan")):
        assert labels.tier_key(blank) == "unspecified"
    assert labels.tier_key("downstream") == "downstream"
