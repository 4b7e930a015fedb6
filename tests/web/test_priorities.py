"""Combined SIP priorities: grouped by theme, private when unshared, themes answered by heads."""
import csv
import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from domain.models import SipPriority
from webapp.extensions import db
from webapp.syncing import sync_now

from ..conftest import csrf_token, login


def priority_id(app, sheet_id):
    with app.app_context():
        return db.session.scalar(select(SipPriority.id).where(SipPriority.sheet_id == sheet_id))


def groups(html):
    """{theme heading: [priority headings under it]} of the combined page."""
    found = {}
    for section in re.findall(r'<section class="theme-group".*?</section>', html, re.S):
        theme = re.search(r"<h2[^>]*>(.*?)</h2>", section).group(1)
        found[theme] = re.findall(r'<h3 class="row-title">(.*?)</h3>', section)
    return found


def wait_for_outbox(app):
    future = app.extensions.get("outbox_future")
    if future:
        future.result(timeout=30)


def answer(client, name, theme, reply):
    return client.post("/priorities/same-theme", data={
        "csrf_token": csrf_token(client, "/priorities"), "name": name, "same_as": theme, "answer": reply})


def test_shared_priorities_are_grouped_by_theme_across_schools(client):
    login(client, "br_staff")
    found = groups(client.get("/priorities").get_data(as_text=True))
    assert found["Middle leaders"] == ["Bank Road Infant and Nursery School: Develop middle leaders",
                                       "William Lilley Infant and Nursery School: Middle leadership"]
    assert len(found["30 hours provision in F1"]) == 2  # "30 Hrs provision in F1" is on the coordinator's list
    assert found["EHWB"] and found["Emotional health and wellbeing"]  # not matched until someone says so


def test_an_unshared_priority_is_seen_only_by_its_school_and_admins(synced_app, client):
    secret = "Improve attendance of persistent absentees"  # BR-S005, Share with partnership: No
    sid = priority_id(synced_app, "BR-S005")
    for who in ("wl_head", "wl_staff", "wl_governor", "br_head", "br_staff", "admin"):
        viewer = synced_app.test_client()
        login(viewer, who)
        combined = viewer.get("/priorities").get_data(as_text=True)
        assert secret not in combined and "8 shared priorities in" in combined, who  # nor in any count
        own = viewer.get("/plans/BR/priorities")
        who_else = viewer.get(f"/priorities/{sid}/who-else")
        if who.startswith("wl"):
            assert own.status_code == 403 and who_else.status_code == 404, who  # not even "it exists"
        else:
            assert secret in own.get_data(as_text=True) and who_else.status_code == 200, who
    login(client, "br_governor")
    assert secret in client.get("/plans/BR/priorities").get_data(as_text=True)


def test_filters_narrow_the_groups_and_give_a_bookmarkable_address(client):
    login(client, "br_head")
    response = client.get("/priorities?theme=middleleader&status=On+track&school=",
                          headers={"HX-Request": "true", "HX-Target": "priority-groups"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="priority-groups"')
    assert groups(html) == {"Middle leaders": ["William Lilley Infant and Nursery School: Middle leadership"]}
    assert response.headers["HX-Push-Url"] == "/priorities?theme=middleleader&status=On+track"
    page = client.get("/priorities?school=WL").get_data(as_text=True)  # the same address, without JavaScript
    assert "<html" in page and all("William Lilley" in p for ps in groups(page).values() for p in ps)


def test_who_else_lists_the_partner_schools_sharing_the_theme(synced_app, client):
    login(client, "br_staff")
    sid = priority_id(synced_app, "BR-S003")  # Develop middle leaders
    html = client.get(f"/priorities/{sid}/who-else", headers={"HX-Request": "true",
                                                               "HX-Target": f"who-else-{sid}"}).get_data(as_text=True)
    assert "William Lilley Infant and Nursery School" in html and "Middle leadership" in html and "Deputy head" in html
    assert "Bank Road" not in html
    assert "<html" in client.get(f"/priorities/{sid}/who-else").get_data(as_text=True)  # a whole page in a new tab


def test_a_head_answers_yes_the_theme_groups_at_once_and_the_themes_tab_keeps_it(synced_app, client, workbook_dir):
    login(client, "br_head")
    page = client.get("/priorities").get_data(as_text=True)
    assert "Is “<strong>EHWB</strong>” the same theme as “<strong>Emotional health and wellbeing</strong>”?" in page
    response = answer(client, "EHWB", "Emotional health and wellbeing", "yes")
    assert response.status_code == 303
    found = groups(client.get("/priorities").get_data(as_text=True))
    assert "EHWB" not in found and len(found["Emotional health and wellbeing"]) == 2
    wait_for_outbox(synced_app)
    book = load_workbook(workbook_dir / "partnership.xlsx", read_only=True)
    rows = [list(r) for r in book["Themes"].iter_rows(values_only=True)]
    book.close()
    assert rows[1] == ["Emotional health and wellbeing", "Wellbeing; Mental health; EHWB"]
    assert sync_now(synced_app, "test").ok  # the next sync agrees, and nobody is asked again
    page = client.get("/priorities").get_data(as_text=True)
    assert len(groups(page)["Emotional health and wellbeing"]) == 2 and "<strong>EHWB</strong>" not in page


def test_no_is_remembered_and_not_asked_again(client):
    login(client, "wl_head")
    response = client.post("/priorities/same-theme", data={
        "csrf_token": csrf_token(client, "/priorities"), "name": "writing (KS1)", "same_as": "Writing", "answer": "no"},
        headers={"HX-Request": "true", "HX-Target": "theme-suggestions"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="theme-suggestions"') and "will not be asked again" in html
    assert "writing (KS1)</strong>" not in html
    found = groups(client.get("/priorities").get_data(as_text=True))
    assert "writing (KS1)" in found and "Writing" in found


def test_staff_and_governors_are_not_asked_and_cannot_answer(synced_app):
    for who in ("br_staff", "br_governor"):
        client = synced_app.test_client()
        login(client, who)
        assert "Same theme?" not in client.get("/priorities").get_data(as_text=True)
        response = answer(client, "EHWB", "Emotional health and wellbeing", "yes")
        assert response.status_code == 403 and "Head teachers and partnership coordinators" in response.get_data(
            as_text=True)


def test_an_answer_to_a_question_nobody_asked_changes_nothing(client):
    login(client, "br_head")
    answer(client, "Writing", "Safeguarding", "yes")
    found = groups(client.get("/priorities").get_data(as_text=True))
    assert "Writing" in found


def test_an_unshared_priority_is_in_no_who_else_theme_list_or_question_of_another_school(synced_app, workbook_dir):
    from openpyxl import load_workbook

    path = workbook_dir / "william-lilley.xlsx"
    book = load_workbook(path)
    book["SIP priorities"].append(["WL-S005", "Attendance above 96%", "Attendance", "", "Sally Beardsley", "On track",
                                   "Yes"])
    book["SIP priorities"].append(["WL-S006", "Atendance of vulnerable pupils", "Atendance", "", "", "", "Yes"])
    book.save(path)
    assert sync_now(synced_app, "test").ok
    client = synced_app.test_client()
    login(client, "wl_head")
    combined = client.get("/priorities").get_data(as_text=True)
    assert "persistent absentees" not in combined
    assert "Attendance above 96%" in combined  # the theme is there, from William Lilley's own priority
    wl = priority_id(synced_app, "WL-S005")
    who = client.get(f"/priorities/{wl}/who-else").get_data(as_text=True)
    assert "persistent absentees" not in who and "No partner school shares this theme yet." in who


def test_a_yes_leaves_the_page_grouped_anew_without_a_reload(client):
    login(client, "br_head")
    response = client.post("/priorities/same-theme", data={
        "csrf_token": csrf_token(client, "/priorities"), "name": "EHWB", "same_as": "Emotional health and wellbeing",
        "answer": "yes", "theme": "", "status": "", "school": ""},  # the page's filters, as hx-include sends them
        headers={"HX-Request": "true", "HX-Target": "theme-suggestions"})
    html = response.get_data(as_text=True)
    assert 'id="priority-groups" class="priority-groups" hx-swap-oob="true"' in html
    assert len(groups(html)["Emotional health and wellbeing"]) == 2 and "EHWB" not in groups(html)
    # the theme filter comes too, without the merged name
    choices = re.search(r'<select id="filter-theme" name="theme" hx-swap-oob="true">(.*?)</select>', html, re.S).group(1)
    assert ">Emotional health and wellbeing</option>" in choices and ">EHWB</option>" not in choices


def test_after_a_yes_the_export_gives_each_priority_its_groups_name(client):
    login(client, "br_head")
    answer(client, "EHWB", "Emotional health and wellbeing", "yes")
    rows = list(csv.DictReader(io.StringIO(client.get("/priorities/export/csv").get_data(as_text=True))))
    themes = {row["Theme"] for row in rows}
    assert "Emotional health and wellbeing" in themes and "EHWB" not in themes  # one row a theme in a pivot


def add_reading_priorities(app, workbook_dir, count):
    """``count`` more shared priorities, all On track under Reading, at William Lilley."""
    path = workbook_dir / "william-lilley.xlsx"
    book = load_workbook(path)
    for n in range(count):
        book["SIP priorities"].append([f"WL-S{100 + n}", f"Reading target {n:02d}", "Reading", "", "", "On track", "Yes"])
    book.save(path)
    assert sync_now(app, "test").ok


def cards(html):
    return re.findall(r'<article class="priority" id="priority-(\d+)"', html)


def test_a_long_list_of_shared_priorities_comes_a_page_at_a_time_each_once(synced_app, client, workbook_dir):
    add_reading_priorities(synced_app, workbook_dir, 60)  # 68 shared in all: two pages of 50
    login(client, "br_head")
    first = client.get("/priorities").get_data(as_text=True)
    assert "68 shared priorities in" in first and "Showing 1 to 50." in first
    assert len(cards(first)) == 50 and 'href="/priorities?page=2" rel="next"' in first
    second = client.get("/priorities?page=2").get_data(as_text=True)
    assert "Showing 51 to 68." in second and len(cards(second)) == 18
    assert 'href="/priorities" rel="prev"' in second
    with synced_app.app_context():
        shared = db.session.scalars(select(SipPriority.id).where(SipPriority.share.is_(True))).all()
    assert sorted(cards(first) + cards(second)) == sorted(str(i) for i in shared)  # each exactly once
    # Reading runs over the page break: page 1 says so, page 2 carries it on under the same theme.
    assert "Reading continues on the next page." in first
    assert "Reading (continued)" in groups(second)
    # Both pages have every theme at a glance, with how many schools and how each is going:
    # open on the first page, folded on the second so that its list comes first.
    assert '<details class="at-a-glance-box" open>' in first and '<details class="at-a-glance-box">' in second
    for html in (first, second):
        glance = re.search(r'<table class="at-a-glance[^"]*">.*?</table>', html, re.S).group(0)
        row = re.search(r'<tr>\s*<th scope="row"><a href="/priorities\?theme=reading">Reading</a></th>(.*?)</tr>',
                        glance, re.S).group(1)
        assert '<td data-label="Schools">1</td>' in row and "On track: 60" in row
        assert "Middle leaders" in glance


def test_a_page_keeps_its_filters_and_a_page_past_the_end_shows_the_last(synced_app, client, workbook_dir):
    add_reading_priorities(synced_app, workbook_dir, 60)
    login(client, "br_staff")
    reading = client.get("/priorities?theme=reading").get_data(as_text=True)
    assert 'href="/priorities?theme=reading&amp;page=2"' in reading and len(cards(reading)) == 50
    response = client.get("/priorities?theme=reading&page=2", headers={"HX-Request": "true",
                                                                         "HX-Target": "priority-groups"})
    assert response.headers["HX-Push-Url"] == "/priorities?theme=reading&page=2"
    assert len(cards(response.get_data(as_text=True))) == 10
    assert len(cards(client.get("/priorities?theme=reading&page=9").get_data(as_text=True))) == 10
    assert len(cards(client.get("/priorities?page=nonsense").get_data(as_text=True))) == 50
    export = client.get("/priorities/export/csv?theme=reading").get_data(as_text=True)
    assert export.count("Reading target") == 60  # the download is every match, not one page


def test_answering_same_theme_on_a_later_page_keeps_that_page_and_its_address(synced_app, client, workbook_dir):
    add_reading_priorities(synced_app, workbook_dir, 60)
    login(client, "br_head")
    second = client.get("/priorities?page=2").get_data(as_text=True)
    assert '<input type="hidden" id="priority-page" name="page" value="2">' in second
    response = client.post("/priorities/same-theme", data={
        "csrf_token": csrf_token(client, "/priorities"), "name": "writing (KS1)", "same_as": "Writing",
        "answer": "no", "theme": "", "status": "", "school": "", "page": "2"},  # as hx-include sends them
        headers={"HX-Request": "true", "HX-Target": "theme-suggestions"})
    html = response.get_data(as_text=True)
    assert response.headers["HX-Replace-Url"] == "/priorities?page=2"
    assert cards(html) == cards(second) and "Showing 51 to 68." in html
