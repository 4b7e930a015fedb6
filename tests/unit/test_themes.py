"""Themes match the way people write them: automatically, by the coordinator's list, or as a suggestion."""
import pytest

from domain.themes import ThemeList, is_acronym, split_names, suggestions, theme_key, why_same


@pytest.mark.parametrize("a, b", [
    ("Emotional Health & Well-being", "emotional health and wellbeing"),
    ("Middle Leaders", "middle leader"),
    ("WRITING.", "writing"),
    ("30 Hrs provision in F1", "30 hrs provision in f1"),
    ("Pupil-premium", "pupil premium"),
    ("Classes", "class"),
    ("Approaches to reading", "approach to reading"),
])
def test_texts_that_differ_only_in_case_punctuation_and_plurals_are_one_theme(a, b):
    assert theme_key(a) == theme_key(b)


@pytest.mark.parametrize("a, b", [("Writing", "Reading"), ("Attendance", "Attainment"), ("Class", "Classes and")])
def test_different_themes_stay_apart(a, b):
    assert theme_key(a) != theme_key(b)


def test_the_coordinators_list_maps_every_name_it_gives_to_its_theme():
    themes = ThemeList([("Emotional health and wellbeing", split_names("EHWB; Wellbeing, mental health"))])
    assert themes.theme_for("ehwb") == "Emotional health and wellbeing"
    assert themes.theme_for("Well-being") == "Emotional health and wellbeing"
    assert themes.theme_for("Emotional Health & Well-being") == "Emotional health and wellbeing"
    assert themes.theme_for("Writing (KS1)") == "Writing (KS1)"  # not listed: its own theme, as written


def test_an_acronym_of_a_known_theme_is_suggested():
    assert is_acronym("EHWB", "Emotional Health and Well-being") and is_acronym("ehwb", "emotional health & wellbeing")
    assert not is_acronym("EHWB", "Writing") and not is_acronym("EH", "Emotional health and wellbeing")
    assert why_same("EHWB", "Emotional health and wellbeing") == "an acronym"


def test_a_close_spelling_and_a_shared_main_word_are_suggested():
    assert why_same("Middle leadership", "Middle leaders") in ("a close spelling", "the same main words")
    assert why_same("Attendence", "Attendance") == "a close spelling"
    assert why_same("writing (KS1)", "Writing") == "the same main words"
    assert why_same("Writing", "Reading") is None
    assert why_same("Attendance", "Attainment") is None


def test_a_pair_answered_no_is_not_asked_again():
    themes = ["EHWB", "Writing", "Emotional health and wellbeing", "writing (KS1)"]
    asked = [(s.name, s.theme) for s in suggestions(themes)]
    assert asked == [("Emotional health and wellbeing", "EHWB"), ("writing (KS1)", "Writing")]
    from domain.themes import pair_key

    declined = {pair_key("writing (KS1)", "Writing")}
    assert [(s.name, s.theme) for s in suggestions(themes, declined)] == [("Emotional health and wellbeing", "EHWB")]


def test_a_listed_theme_said_to_be_another_brings_its_other_names_along():
    themes = ThemeList([("Emotional health and wellbeing", ["EHWB"]), ("Wellbeing", ["Mental health", "Happiness"])],
                       same=[("Wellbeing", "Emotional health and wellbeing")])
    assert themes.theme_for("Happiness") == "Emotional health and wellbeing"
    assert themes.theme_for("mental-health") == "Emotional health and wellbeing"
    assert themes.theme_for("EHWB") == "Emotional health and wellbeing"
    assert {"Mental health", "Happiness", "EHWB"} <= themes.names_of("Emotional health and wellbeing")


def test_a_name_said_to_be_a_theme_is_grouped_under_it():
    themes = ThemeList([("Writing", [])], same=[("writing (KS1)", "Writing")])
    assert themes.theme_for("Writing (KS1)") == "Writing" and themes.theme_for("Reading") == "Reading"
