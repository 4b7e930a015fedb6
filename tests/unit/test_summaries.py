"""A summary is computed from plain data (rows and priorities as a snapshot holds them),
so today's plan and a signed snapshot are summarised by the same rules."""
from datetime import date

from domain import reviews
from domain.charts import WIDTH, progress_chart
from domain.summaries import ReviewRecord, build, due_words, is_overdue

AS_AT = date(2026, 12, 1)


def _row(sheet_id, area="Staff", status="On track", due="", **values):
    row = {attr: "" for attr in reviews.ROW_ATTRS}
    row.update(sheet_id=sheet_id, key_objective=f"Objective {sheet_id}", area=area, status=status, due=due, **values)
    return row


def _since(rows):
    return ReviewRecord(1, "BR", "Autumn term, 2026 to 2027", date(2026, 11, 1), date(2026, 11, 3), [], rows)


def _summary(rows, since=None):
    return build("BR", "Bank Road", rows, [], AS_AT, "Autumn term, 2026 to 2027", "Spring term, 2026 to 2027",
                 since=since, record=since)


def test_the_exceptions_are_behind_then_at_risk_then_overdue_or_worse_each_once():
    rows = [_row("A1", status="At risk"), _row("A2", due="Autumn 1 2026"), _row("A3", status="Behind", due="01/11/2026"),
            _row("A4", status="Complete", due="01/10/2026"), _row("A5"), _row("A6", status="Not started")]
    then = [_row("A5", status="Complete"), _row("A6", status="Not started"), _row("A1", status="On track")]
    summary = _summary(rows + [_row("A7", status="Behind")], _since(then))
    found = [(f.row["sheet_id"], f.reasons) for f in summary.exceptions]
    assert [sheet_id for sheet_id, _ in found] == ["A3", "A7", "A1", "A2"]
    assert found[0][1] == ["Behind", "Overdue: due 1 November 2026"]
    assert found[2][1] == ["At risk", "Worse since the last signed review: On track to At risk"]
    assert found[3][1] == ["Overdue: due Autumn 1 2026"]  # the end of October has passed; complete A4 is not overdue


def test_with_no_signed_review_nothing_is_compared():
    summary = _summary([_row("A1", status="Behind")])
    assert summary.changes is None and summary.since is None and summary.evidence == []
    assert [f.reasons for f in summary.exceptions] == [["Behind"]]


def test_overdue_is_as_at_the_summarys_day_not_today():
    row = _row("A1", due="2026-11-30")
    assert is_overdue(row, date(2026, 12, 1)) and not is_overdue(row, date(2026, 11, 30))
    assert not is_overdue(_row("A2", due="TBC"), date(2030, 1, 1))
    assert due_words("2026-11-30") == "30 November 2026" and due_words("Spring 2027") == "Spring 2027"


def test_progress_counts_rows_by_area_and_the_chart_draws_the_same_counts():
    rows = [_row("A1", area="EYFS", status="Behind"), _row("A2", area="EYFS", status="On track"),
            _row("A3", area="EYFS", status="On track"), _row("A4", area="", status="Paused")]
    summary = _summary(rows)
    assert [(area, dict(counts)) for area, counts in summary.progress] == [
        ("EYFS", {"Behind": 1, "On track": 2}), ("Other", {"Other": 1})]
    assert summary.columns[:2] == ["Behind", "At risk"] and "Other" in summary.columns
    bars = {bar.area: bar for bar in summary.chart.bars}
    assert [(s.status, s.count) for s in bars["EYFS"].segments] == [("Behind", 1), ("On track", 2)]
    assert bars["EYFS"].counts_text == "1 Behind, 2 On track"
    assert abs(sum(s.width for s in bars["EYFS"].segments) - WIDTH) < 0.5
    assert bars["EYFS"].segments[1].x == bars["EYFS"].segments[0].width
    assert "EYFS: 3 rows, 1 Behind, 2 On track." in summary.chart.description
    assert summary.totals["On track"] == 2 and summary.total == 4


def test_long_area_names_and_counts_wrap_inside_the_chart():
    chart = progress_chart([("A very long area name that would run off a phone screen",
                             {"Behind": 1, "At risk": 2, "On track": 3, "Not started": 4, "Complete": 5})],
                           ["Behind", "At risk", "On track", "Not started", "Complete"])
    bar = chart.bars[0]
    assert len(bar.label_lines) > 1 and len(bar.counts_lines) > 1
    assert all(len(text) <= 44 for text, _ in bar.counts_lines)
    assert chart.legend_y > bar.counts_lines[-1][1] and chart.height > chart.legend_y
