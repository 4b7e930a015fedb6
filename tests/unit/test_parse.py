"""The contract's messy cases, parsed without a database or an app."""
from datetime import date, datetime

import pytest

from domain.cells import cell_text, objective_numbers, split_area_and_links
from domain.contract import ACTION_PLAN, IMPACT_LOG, SCHOOLS, SIP_PRIORITIES
from domain.dates import parse_date
from domain.status import normalise_status
from sync.parse import TableUnreadable, column_letter, find_tab, parse_table

SEED_HEADER = [
    "Collaboration objective reference",
    "Key Objective/Action",
    "Specific actions to achieve key objectives",
    "The intended outcome/impact",
    "Impact top date (July 2017)",
]


def test_seed_headers_match_their_contract_columns_below_title_rows():
    grid = [["Collaboration Action Plan"], ["2017"], [], SEED_HEADER, ["Governors", "To ensure …", "", "", ""]]
    parsed = parse_table(ACTION_PLAN, "Action plan", grid)
    assert parsed.header_row == 4
    assert parsed.columns == {
        "linked_objectives": 0, "key_objective": 1, "specific_actions": 2,
        "intended_outcome": 3, "impact_to_date": 4,
    }
    assert [r.values["key_objective"] for r in parsed.rows] == ["To ensure …"]


@pytest.mark.parametrize("header", ["key objective", "KEY OBJECTIVE", "Key  Objective.", "Key-objective", "Key objective (2026)"])
def test_headers_match_whatever_the_case_spacing_and_punctuation(header):
    parsed = parse_table(ACTION_PLAN, "Action plan", [[header], ["Do it"]])
    assert parsed.rows[0].values["key_objective"] == "Do it"


def test_column_order_is_free_and_missing_columns_show_blank():
    grid = [["Status", "Lead", "Key objective"], ["g", "Jo", "Plan visits"]]
    row = parse_table(ACTION_PLAN, "Action plan", grid).rows[0]
    assert row.values["status"] == "On track"
    assert row.values["lead"] == "Jo"
    assert row.values["intended_outcome"] == ""
    assert row.sheet_id == ""


def test_unknown_columns_are_kept_with_their_header():
    grid = [["ID", "Key objective", "Evidence folder", ""], ["A1", "Plan visits", "Drive/visits", "stray"]]
    row = parse_table(ACTION_PLAN, "Action plan", grid).rows[0]
    assert row.extra == {"Evidence folder": "Drive/visits"}


def test_blank_rows_are_skipped_not_the_end_of_the_table():
    grid = [["Key objective"], ["First"], [], [None, None], ["  "], ["After the gap"]]
    rows = parse_table(ACTION_PLAN, "Action plan", grid).rows
    assert [(r.number, r.values["key_objective"]) for r in rows] == [(2, "First"), (6, "After the gap")]


def test_trailing_empty_cells_left_out_as_google_does():
    grid = [["ID", "Key objective", "Lead", "Status"], ["A1", "Short row"]]
    row = parse_table(ACTION_PLAN, "Action plan", grid).rows[0]
    assert row.values["lead"] == "" and row.values["status"] == ""


def test_stray_html_is_kept_as_text_for_the_page_to_escape():
    grid = [["Key objective"], ["<p>To audit</p> <script>alert(1)</script>"]]
    row = parse_table(ACTION_PLAN, "Action plan", grid).rows[0]
    assert row.values["key_objective"] == "<p>To audit</p> <script>alert(1)</script>"


def test_a_missing_required_column_makes_the_table_unreadable_with_a_fix():
    with pytest.raises(TableUnreadable) as error:
        parse_table(ACTION_PLAN, "Action plan", [["Area", "Lead"], ["Safeguarding", "Jo"]])
    assert "Key objective" in error.value.problem.message
    assert error.value.problem.fix


def test_a_row_missing_its_required_cell_is_a_problem_and_the_rest_still_parse():
    grid = [["ID", "Area", "Key objective"], ["A1", "CPD", "Share CPD"], ["A2", "Parents", ""], ["A3", "EYFS", "F1"]]
    parsed = parse_table(ACTION_PLAN, "Action plan", grid)
    assert [r.valid for r in parsed.rows] == [True, False, True]
    problem = parsed.rows[1].problems[0]
    assert (problem.tab, problem.row, problem.column) == ("Action plan", 3, "C (Key objective)")
    assert "empty" in problem.message and problem.fix


@pytest.mark.parametrize(
    "typed, status, known",
    [
        ("On track", "On track", True), ("on TRACK", "On track", True), ("Green", "On track", True),
        ("G", "On track", True), ("Amber", "At risk", True), ("a", "At risk", True), ("Red", "Behind", True),
        ("R", "Behind", True), ("Done", "Complete", True), ("Completed", "Complete", True),
        ("not started", "Not started", True), ("", "", True), ("Nearly there", "Nearly there", False),
    ],
)
def test_status_spellings(typed, status, known):
    assert normalise_status(typed) == (status, known)


def test_an_unknown_status_is_kept_as_written_and_flagged():
    row = parse_table(ACTION_PLAN, "Action plan", [["Key objective", "RAG"], ["Visits", "Nearly there"]]).rows[0]
    assert row.valid
    assert row.values["status"] == "Nearly there"
    assert "Nearly there" in row.problems[0].message and "On track" in row.problems[0].fix


@pytest.mark.parametrize(
    "value, expected",
    [
        ("25/04/2017", date(2017, 4, 25)), ("5/4/17", date(2017, 4, 5)), ("25.04.2017", date(2017, 4, 25)),
        ("2017-04-25", date(2017, 4, 25)), ("25 April 2017", date(2017, 4, 25)), ("25th Apr 2017", date(2017, 4, 25)),
        (42850, date(2017, 4, 25)), ("42850", date(2017, 4, 25)), (42850.0, date(2017, 4, 25)),
        (datetime(2017, 4, 25, 9, 30), date(2017, 4, 25)),
        ("Autumn 2017", None), ("date TBC", None), ("31/02/2017", None), ("", None), (None, None),
        (2027, None), ("2027", None), (3, None),  # a year or a week typed as a number is no date in 1905
    ],
)
def test_uk_dates_and_serials(value, expected):
    assert parse_date(value) == expected


def test_due_keeps_words_that_are_not_a_date_and_parses_dates():
    grid = [["Key objective", "Due"], ["A", "Autumn 2017"], ["B", "05/12/2017"], ["C", 43074]]
    rows = parse_table(ACTION_PLAN, "Action plan", grid).rows
    assert [(r.values["due"], r.values["due_date"]) for r in rows] == [
        ("Autumn 2017", None), ("2017-12-05", date(2017, 12, 5)), ("2017-12-05", date(2017, 12, 5)),
    ]


def test_an_impact_row_with_a_date_that_is_not_a_date_is_a_problem():
    grid = [["Date", "Summary"], ["next week", "Visit"], ["14/10/2026", "Moderation"]]
    rows = parse_table(IMPACT_LOG, "Impact log", grid).rows
    assert not rows[0].valid and "'next week' is not a date" in rows[0].problems[0].message
    assert rows[1].valid and rows[1].values["date"] == date(2026, 10, 14)


@pytest.mark.parametrize(
    "cell, area, links",
    [
        ("Safeguarding Links: Objective 1 Objective 2 Objective 5 Objective 10", "Safeguarding", "Objective 1 Objective 2 Objective 5 Objective 10"),
        ("<p>Teaching and Learning</p> <p>Links: Objective 1 Objective 2</p>", "Teaching and Learning", "Objective 1 Objective 2"),
        ("CPD\nLinks:\nObjective 1 Objective 2", "CPD", "Objective 1 Objective 2"),
        ("Governors", "Governors", ""),
        ("Combined SIP priorities (2017-2018)", "Combined SIP priorities (2017-2018)", ""),
        ("1, 2, 5", "", "1, 2, 5"),
        ("<p>Safeguarding</p><p>Objective 1 Objective 2</p>", "Safeguarding", "Objective 1 Objective 2"),
        ("Objective 1 Objective 2", "", "Objective 1 Objective 2"),
    ],
)
def test_an_area_folded_into_the_links_column_is_split_out(cell, area, links):
    assert split_area_and_links(cell) == (area, links)


def test_folded_area_fills_the_area_only_when_the_sheet_has_none():
    grid = [["Links", "Key objective"], ["Safeguarding Links: Objective 1 Objective 5", "Audit"]]
    row = parse_table(ACTION_PLAN, "Action plan", grid).rows[0]
    assert row.values["area"] == "Safeguarding"
    assert row.values["objective_refs"] == [1, 5]


@pytest.mark.parametrize(
    "text, numbers",
    [("Objective 1 Objective 2", [1, 2]), ("1, 2, 5", [1, 2, 5]), ("1-3, 7", [1, 2, 3, 7]), ("Links: 2017", []), ("", []),
     ("Combined SIP priorities (2017-18)", []), ("Objective 3 (from 2017-18)", [3])],
)
def test_objective_numbers(text, numbers):
    assert objective_numbers(text) == numbers


def test_links_to_objectives_the_partnership_lacks_are_flagged():
    row = parse_table(ACTION_PLAN, "Action plan", [["Key objective", "Links"], ["A", "1, 12"]], {1, 2}).rows[0]
    assert "objective 12" in row.problems[0].message


def test_share_with_partnership_reads_yes_and_no_and_flags_anything_else():
    grid = [["Priority", "Share with partnership"], ["EHWB", "Yes"], ["Writing", "n"], ["Maths", "maybe"]]
    rows = parse_table(SIP_PRIORITIES, "SIP priorities", grid).rows
    assert [r.values["share"] for r in rows] == [True, False, False]
    assert rows[2].problems and "maybe" in rows[2].problems[0].message


def test_school_codes_are_upper_cased_and_bad_ones_flagged():
    grid = [["Code", "School"], ["br", "Bank Road"], ["W L", "William Lilley"], ["joint", "Nope"]]
    rows = parse_table(SCHOOLS, "Schools", grid).rows
    assert rows[0].values["code"] == "BR" and rows[0].valid
    assert not rows[1].valid and not rows[2].valid


def test_tabs_are_found_by_name_whatever_the_case():
    assert find_tab({"ACTION PLAN": [], "Notes": []}, ACTION_PLAN) == "ACTION PLAN"
    assert find_tab({"Impact Log": []}, IMPACT_LOG) == "Impact Log"
    assert find_tab({"Notes": []}, IMPACT_LOG) is None


def test_cells_read_as_people_typed_them():
    assert cell_text(3.0) == "3"
    assert cell_text(date(2017, 4, 25)) == "25/04/2017"
    assert cell_text("  line one\r\nline two ") == "line one\nline two"
    assert column_letter(0) == "A" and column_letter(26) == "AA"


def test_a_formula_cell_with_no_stored_result_is_unknown_not_blank():
    from sync.backends import UNREAD

    grid = [["ID", "Linked objectives", "Key objective", "Due", "Intended outcome"],
            ["BR-A001", UNREAD, "Visits", UNREAD, UNREAD],
            ["", "4", UNREAD],  # its required cell is unknown: the row waits
            ["", UNREAD, UNREAD]]  # nothing but unread formulas (filled down past the table): a gap
    parsed = parse_table(ACTION_PLAN, "Action plan", grid)
    row = parsed.rows[0]
    # What the app works out from an unread cell (objective numbers, the area folded into the
    # links, the due date) is unknown too: all are kept as last read.
    assert row.unread == {"linked_objectives", "objective_refs", "area", "due", "due_date", "intended_outcome"}
    assert row.valid and not row.problems
    assert len(parsed.rows) == 2 and not parsed.rows[1].valid
    assert "no stored result" in parsed.rows[1].problems[0].message


def test_a_tab_whose_ids_are_unread_formulas_is_not_guessed_at():
    from sync.backends import UNREAD

    with pytest.raises(TableUnreadable, match="cannot be told apart"):
        parse_table(ACTION_PLAN, "Action plan", [["ID", "Key objective"], [UNREAD, "Visits"]])
    with pytest.raises(TableUnreadable, match="Code cells"):
        parse_table(SCHOOLS, "Schools", [["Code", "School"], [UNREAD, "Bank Road"]])
