"""The charts' stylesheet file holds every rule pygal would have written inline into a chart."""

from __future__ import annotations

import re

import pygal
import pytest

from backcoach.web.charts import _config, _stroke, chart_stylesheet, style_rules


@pytest.mark.parametrize("kind", [pygal.Line, pygal.Bar, pygal.StackedBar])
@pytest.mark.parametrize("series", [1, 2, 3, 4])
def test_every_rule_of_every_chart_is_in_the_file(kind: type, series: int) -> None:
    labels = [f"Week {n}" for n in range(9)]  # more than six: rotated labels, other settings
    chart = kind(**_config(labels), include_x_axis=True)
    chart.x_labels = labels
    for index in range(series):
        # Styled as the progress page styles them: lines dashed by series, bars plain.
        stroke = _stroke(index) if kind is pygal.Line else {}
        chart.add(f"s{index}", list(range(9)), stroke_style=stroke)
    rules = style_rules(chart.render(is_unicode=True, disable_xml_declaration=True))
    assert rules, "pygal wrote no stylesheet: check how it styles charts now"
    served = set(chart_stylesheet().splitlines())
    assert [rule for rule in rules if rule not in served] == []


def test_the_rules_are_scoped_to_charts_only() -> None:
    for rule in chart_stylesheet().splitlines():
        assert rule.startswith(".pygal-chart"), rule
        assert "#chart-" not in rule and "&gt;" not in rule
        if ".serie-" in rule:  # a line's dashes never reach a bar chart's bars
            assert re.match(r"\.pygal-chart \.[a-z]+-graph ", rule), rule
