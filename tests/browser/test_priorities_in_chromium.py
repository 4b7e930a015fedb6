"""Combined priorities in a real browser: filters that change the address and go back,
"Same theme?" answered from the keyboard, and "Who else is working on this?"."""
from playwright.sync_api import expect

from ..conftest import PASSWORD, PEOPLE
from .conftest import settled, sign_in


def group_titles(page):
    return page.locator("#priority-groups section.theme-group h2").all_inner_texts()


def test_filtering_by_theme_and_status_changes_the_address_and_back_restores_it(page):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/priorities")
    assert "Middle leaders" in group_titles(page) and len(group_titles(page)) > 2
    page.select_option("#filter-theme", label="Middle leaders")
    page.wait_for_url("**/priorities?theme=middleleader")
    settled(page)
    assert group_titles(page) == ["Middle leaders"]
    assert page.locator("#priority-groups article.priority").count() == 2
    page.select_option("#filter-status", "On track")
    page.wait_for_url("**/priorities?theme=middleleader&status=On+track")
    settled(page)
    assert page.locator("#priority-groups article.priority").all_inner_texts()[0].startswith(
        "William Lilley Infant and Nursery School: Middle leadership")
    assert page.locator("#result-count").inner_text() == "1 shared priority in 1 theme."

    page.go_back()
    page.wait_for_url("**/priorities?theme=middleleader")
    page.locator("#priority-groups article.priority").nth(1).wait_for()
    assert page.locator("#filter-status").input_value() == ""
    assert page.locator("#priority-groups article.priority").count() == 2
    assert page.errors == []


def test_a_head_answers_same_theme_with_the_keyboard(page):
    sign_in(page, PEOPLE["br_head"][0], PASSWORD)
    page.goto(page.base + "/priorities")
    assert "EHWB" in group_titles(page)
    question = page.locator("#theme-suggestions li", has_text="Is “EHWB” the same theme as")
    yes = question.get_by_role("button", name="Yes, the same")
    yes.focus()
    page.keyboard.press("Enter")
    message = page.locator("#theme-suggestions [role=status]")
    message.wait_for()
    assert "is now grouped under “Emotional health and wellbeing”" in message.inner_text()
    # htmx moves the focus when the new content settles; a Tab before then would race it.
    settled(page)
    # The keyboard stays in the questions, on the answer's message, not at the top of the page.
    expect(message).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("Yes, the same")  # the next question
    page.reload()
    assert "EHWB" not in group_titles(page)
    group = page.locator("section.theme-group", has_text="Emotional health and wellbeing")
    assert group.locator("article.priority").count() == 2
    assert page.errors == []


def test_who_else_is_working_on_a_priority_opens_under_it(page):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR/priorities")
    priority = page.locator("article.priority", has_text="Develop middle leaders")
    priority.get_by_role("button", name="Who else is working on this?").click()
    settled(page)
    partners = priority.locator(".who-else")
    partners.wait_for()
    assert "William Lilley Infant and Nursery School" in partners.inner_text()
    assert "Middle leadership" in partners.inner_text()
    assert page.url == page.base + "/plans/BR/priorities"  # opened in place
    assert page.errors == []


def test_the_next_page_comes_in_place_and_the_keyboard_lands_on_it(page, synced_app, workbook_dir):
    from ..web.test_priorities import add_reading_priorities

    add_reading_priorities(synced_app, workbook_dir, 60)  # 68 shared: two pages
    sign_in(page, PEOPLE["br_head"][0], PASSWORD)
    page.goto(page.base + "/priorities")
    expect(page.locator("#priority-groups article.priority")).to_have_count(50)
    following = page.get_by_role("link", name="Next →")
    following.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/priorities?page=2")
    settled(page)
    expect(page.locator("#priority-groups article.priority")).to_have_count(18)
    expect(page.locator("#result-count")).to_contain_text("Showing 51 to 68.")
    # The keyboard is at the top of the new page, not lost at the foot of the old one.
    expect(page.locator("#priority-groups h2").first).to_be_focused()
    expect(page.locator("#priority-groups h2").first).to_be_in_viewport()
    page.go_back()
    page.wait_for_url(page.base + "/priorities")
    expect(page.locator("#priority-groups article.priority")).to_have_count(50)
    assert page.errors == []
