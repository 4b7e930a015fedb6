"""A "Same theme?" Yes lands in the Themes tab, through the .xlsx workbook and the Sheets stand-in,
and the next sync keeps it."""
from domain import priorities
from sync.outbox import drain

from .conftest import JOINT


def grouped(session):
    shown, _ = priorities.combined(session)
    return {g.theme: sorted(s.code for _, s in g.priorities) for g in shown}


def test_a_yes_lands_in_the_stand_ins_themes_tab_and_the_next_sync_keeps_it(session, google_backend, gsync, emulator):
    gsync()
    assert "EHWB" in grouped(session)
    priorities.answer(session, "EHWB", "Emotional health and wellbeing", True, "Carole Clemens")
    priorities.answer(session, "writing (KS1)", "Writing", False, "Carole Clemens")
    session.commit()
    assert grouped(session)["Emotional health and wellbeing"] == ["BR", "WL"]  # at once, before the sheet has it
    before = {tab: emulator.store.rows(JOINT, tab) for tab in ("Schools", "Objectives", "Action plan")}
    [result] = drain(session, google_backend)
    assert result.state == "done"
    themes = emulator.store.rows(JOINT, "Themes")
    assert themes[1] == ["Emotional health and wellbeing", "Wellbeing; Mental health; EHWB"]
    assert {tab: emulator.store.rows(JOINT, tab) for tab in before} == before  # nothing else touched
    results, _ = gsync()
    assert results["joint"].ok
    assert grouped(session)["Emotional health and wellbeing"] == ["BR", "WL"]
    assert [(s.name, s.theme) for s in priorities.open_suggestions(session)] == []  # the No is remembered too


def test_a_yes_for_a_theme_the_list_lacks_adds_a_row(session, google_backend, gsync, emulator):
    gsync()
    priorities.answer(session, "writing (KS1)", "writing", True, "Sally Beardsley")  # 'Writing' row spelled otherwise
    session.commit()
    drain(session, google_backend)
    assert emulator.store.rows(JOINT, "Themes")[2] == ["Writing", "writing (KS1)"]  # the row found by its key
    priorities.answer(session, "Oracy (KS2)", "Oracy", True, "Sally Beardsley")
    session.commit()
    [result] = drain(session, google_backend)
    assert result.state == "done" and emulator.store.rows(JOINT, "Themes")[-1] == ["Oracy", "Oracy (KS2)"]


def test_two_yes_answers_for_one_theme_both_reach_the_sheet(session, google_backend, gsync, emulator):
    gsync()
    priorities.answer(session, "EHWB", "Emotional health and wellbeing", True, "Carole Clemens")
    priorities.answer(session, "Pupil wellbeing, staff wellbeing", "Emotional health and wellbeing", True, "Sally")
    session.commit()
    drain(session, google_backend)
    drain(session, google_backend, only_due=False)  # the second waits for a fresh read, then lands
    also = emulator.store.rows(JOINT, "Themes")[1][1]
    # Its comma would split the name into two, so it lands as one name.
    assert also == "Wellbeing; Mental health; EHWB; Pupil wellbeing staff wellbeing"
    gsync()
    themes = priorities.theme_list(session)
    assert themes.theme_for("Pupil wellbeing, staff wellbeing") == "Emotional health and wellbeing"
    assert themes.theme_for("staff wellbeing") == "staff wellbeing"  # not a name of its own


def test_joint_plan_rows_are_linked_by_whole_words(session, gsync, demo):
    from types import SimpleNamespace

    from domain.priorities import ThemeGroup, _attach_joint_rows
    from domain.themes import ThemeList

    gsync()
    pe = ThemeGroup("PE", "pe", [(SimpleNamespace(theme="PE", priority="PE"), None)])
    writing = ThemeGroup("Writing", "writing", [(SimpleNamespace(theme="Writing", priority="Writing"), None)])
    _attach_joint_rows(session, ThemeList(), [pe, writing])
    assert pe.joint_rows == []  # "peer review", "partnership" hold no PE
    assert [r.area for r in writing.joint_rows] == [f"Combined SIP priorities ({demo.tab_year})"]
