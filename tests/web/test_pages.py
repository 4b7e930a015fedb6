"""What people see on the pages, served from the database."""
import json

import pytest
from openpyxl import load_workbook

from webapp.syncing import sync_now

from ..conftest import login


def test_home_shows_schools_objectives_progress_last_sync_and_problems(client):
    login(client, "br_head")
    html = client.get("/").get_data(as_text=True)
    assert "Bank Road Infant and Nursery School" in html and "William Lilley Infant and Nursery School" in html
    assert "Enhancing the skills of, and career opportunities for staff." in html
    assert "Last synced from the spreadsheets:" in html
    assert "No sheet problems." in html  # the demo's two are William Lilley's, which a BR head cannot open
    # Joint plan progress: one row per area with its counts by status.
    assert 'href="/plans/joint?area=Pupil+Premium">Pupil Premium</a>' in html
    assert "(10 rows)" in html


@pytest.mark.parametrize("who, says", [
    ("br_head", "No sheet problems."), ("br_governor", "No sheet problems."),
    ("wl_head", "<strong>2</strong> sheet problems to fix"), ("admin", "<strong>2</strong> sheet problems to fix"),
])
def test_home_counts_only_the_sheet_problems_the_reader_can_open(client, who, says):
    login(client, who)
    assert says in client.get("/").get_data(as_text=True)


def test_a_plan_groups_rows_by_area_with_status_due_lead_and_objectives(client, demo):
    from datetime import datetime

    from domain.dates import uk

    login(client, "br_staff")
    html = client.get("/plans/BR").get_data(as_text=True)
    assert html.index("<h2 id=\"area-1\">Safeguarding</h2>") < html.index("Teaching and Learning</h2>")
    assert '<span class="chip chip-complete">Complete</span>' in html
    assert '<span class="chip chip-red">Behind</span>' in html
    assert uk(datetime.strptime(demo.school("BR")["actions"][0][8], "%d/%m/%Y").date()) in html  # a UK due date
    assert demo.next_term() in html  # due as written when it is not a date: "Spring 2027"
    assert '<span class="objective-number">10</span>' in html
    assert "<li>Link governor to review the single central record</li>" in html  # bullets as a list


def test_the_joint_plan_shows_all_ten_rows_of_the_seed(client):
    login(client, "br_governor")
    html = client.get("/plans/joint").get_data(as_text=True)
    assert "10 rows." in html
    assert "To ensure parents are kept informed of impact of collaboration agreement." in html
    assert "Peer review by head teachers to check the five main aspects" in html


def test_filters_without_htmx_answer_a_whole_page(client):
    login(client, "br_staff")
    response = client.get("/plans/BR?area=EHWB&status=At+risk")
    html = response.get_data(as_text=True)
    assert "<!doctype html>" in html
    assert "1 row matching area “EHWB” and status “At risk”." in html
    assert '<option value="EHWB" selected>' in html
    assert "HX-Request" in response.headers["Vary"]


def test_filters_through_htmx_answer_the_rows_alone_and_push_a_tidy_url(client):
    login(client, "br_staff")
    response = client.get("/plans/BR?area=EHWB&status=", headers={"HX-Request": "true", "HX-Target": "plan-rows"})
    html = response.get_data(as_text=True)
    assert "<!doctype html>" not in html and html.lstrip().startswith('<div id="plan-rows"')
    assert "Embed the emotional health and wellbeing curriculum" in html
    assert "Annual safeguarding audit" not in html
    assert response.headers["HX-Push-Url"] == "/plans/BR?area=EHWB"


def test_a_boosted_or_history_request_gets_the_whole_page(client):
    login(client, "br_staff")
    for headers in ({"HX-Request": "true"}, {"HX-Request": "true", "HX-Target": "plan-rows", "HX-History-Restore-Request": "true"}):
        assert "<!doctype html>" in client.get("/plans/BR?area=EHWB", headers=headers).get_data(as_text=True)


def test_status_filter_finds_statuses_the_app_does_not_know(client):
    login(client, "wl_head")
    html = client.get("/plans/WL?status=Other").get_data(as_text=True)
    assert "Middle leaders&#39; development days with BR" in html and "1 row matching" in html


def _blank_the_area(path, tab, cell, value):
    book = load_workbook(path)
    book[tab][cell] = value
    book.save(path)


def test_filtering_by_area_other_shows_rows_with_no_area(synced_app, client, workbook_dir):
    _blank_the_area(workbook_dir / "bank-road.xlsx", "Action plan", "B3", None)  # BR-A002 has no area
    sync_now(synced_app, "test")
    login(client, "br_staff")
    page = client.get("/plans/BR").get_data(as_text=True)
    assert '<h2 id="area-2">Other</h2>' in page and '<option value="Other" >Other</option>' in page
    html = client.get("/plans/BR?area=Other").get_data(as_text=True)
    assert "1 row matching area “Other”." in html
    assert "Raise attainment in writing at KS1" in html and "Annual safeguarding audit" not in html


def test_the_homes_progress_link_for_rows_with_no_area_opens_them(synced_app, client, workbook_dir):
    # The joint plan folds the area into the links column: links alone leave the row without one.
    _blank_the_area(workbook_dir / "partnership.xlsx", "Action plan", "A6", "Links: Objective 1 Objective 2")
    sync_now(synced_app, "test")
    login(client, "br_governor")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/plans/joint?area=Other">Other</a>' in home
    html = client.get("/plans/joint?area=Other").get_data(as_text=True)
    assert "1 row matching area “Other”." in html
    assert "To enhance teaching and learning through senior leaders monitoring and review." in html


def test_filter_results_update_one_count_live_region_kept_outside_the_swapped_rows(client):
    login(client, "br_staff")
    page = client.get("/plans/BR").get_data(as_text=True)
    region = '<p id="result-count" class="result-count" role="status" aria-live="polite">'
    assert region in page and page.index(region) < page.index('<div id="plan-rows"')
    response = client.get("/plans/BR?area=EHWB", headers={"HX-Request": "true", "HX-Target": "plan-rows"})
    html = response.get_data(as_text=True)
    rows, count = html.split('<p id="result-count" hx-swap-oob="innerHTML">')
    assert 'role="status"' not in rows and "matching" not in rows  # nothing announced from inside the swap
    assert count.startswith("1 row matching area “EHWB”.</p>")  # only the region's text is replaced


def test_a_rows_detail_opens_in_place_and_closes_again(client):
    login(client, "br_staff")
    html = client.get("/plans/BR").get_data(as_text=True)
    start = html.index('hx-get="/plans/BR/rows/')
    row_url = html[start + len('hx-get="'):html.index('"', start + len('hx-get="'))]
    row_id = row_url.rsplit("/", 1)[1]
    detail = client.get(row_url, headers={"HX-Request": "true", "HX-Target": f"row-{row_id}"}).get_data(as_text=True)
    assert detail.startswith(f'\n<article id="row-{row_id}"') or f'<article id="row-{row_id}"' in detail[:200]
    assert "Intended outcome" in detail and "Hide details" in detail and "autofocus" in detail
    summary = client.get(f"{row_url}?view=summary", headers={"HX-Request": "true", "HX-Target": f"row-{row_id}"})
    assert "Show details" in summary.get_data(as_text=True)
    page = client.get(row_url).get_data(as_text=True)  # the same link without scripts: a page
    assert "<!doctype html>" in page and "Intended outcome" in page


def test_the_problems_page_says_where_what_and_how_to_fix(client):
    login(client, "wl_head")
    html = client.get("/plans/WL/problems").get_data(as_text=True)
    assert "Impact log" in html and "&#39;next week&#39; is not a date." in html
    assert "Write the date as day/month/year" in html
    assert "J (Status)" in html and "Nearly there" in html


def test_a_failed_workbook_is_explained_on_its_pages(synced_app, client, workbook_dir):
    (workbook_dir / "bank-road.xlsx").unlink()
    sync_now(synced_app, "test")
    login(client, "br_head")
    problems = client.get("/plans/BR/problems").get_data(as_text=True)
    assert "The workbook could not be synced" in problems and "bank-road.xlsx" in problems
    plan = client.get("/plans/BR").get_data(as_text=True)
    assert "could not read this workbook" in plan and "Annual safeguarding audit" in plan


def test_html_in_a_cell_is_shown_as_text_never_as_markup(synced_app, client, workbook_dir):
    path = workbook_dir / "bank-road.xlsx"
    book = load_workbook(path)
    book["Action plan"]["D2"] = '<script>alert("x")</script><b>Bold?</b>'
    book.save(path)
    sync_now(synced_app, "test")
    login(client, "br_head")
    html = client.get("/plans/BR").get_data(as_text=True)
    assert "<script>alert" not in html and "<b>Bold?</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;Bold?&lt;/b&gt;" in html


def test_healthz_reports_database_sync_and_problems_without_secrets(client):
    response = client.get("/healthz")
    data = response.get_json()
    assert response.status_code == 200
    assert data["database"] is True and data["sheet_problems"] == 2 and data["outbox_waiting"] == 0
    assert data["last_successful_sync"].endswith("Z")
    assert data["workbooks_failing"] == 0
    assert set(data) == {"database", "last_successful_sync", "sheet_problems", "outbox_waiting", "workbooks_failing"}


def test_healthz_counts_workbooks_that_cannot_be_read(synced_app, client, workbook_dir):
    (workbook_dir / "bank-road.xlsx").rename(workbook_dir / "moved.xlsx")
    sync_now(synced_app, "test")
    data = client.get("/healthz").get_json()
    assert data["workbooks_failing"] == 1 and data["last_successful_sync"] is not None
    (workbook_dir / "moved.xlsx").rename(workbook_dir / "bank-road.xlsx")
    sync_now(synced_app, "test")
    assert client.get("/healthz").get_json()["workbooks_failing"] == 0


def test_pages_are_locked_down_for_an_intranet(client):
    login(client, "br_head")
    response = client.get("/plans/BR")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    config = json.loads(html.split("name=\"htmx-config\" content='")[1].split("'>")[0])
    assert config["selfRequestsOnly"] and not config["allowEval"] and not config["allowScriptTags"]
    assert config["historyCacheSize"] == 0
    assert '/static/vendor/htmx.min.js' in html and "https://" not in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_htmx_and_the_css_are_served_from_our_own_static_files(client):
    js = client.get("/static/vendor/htmx.min.js")
    assert js.status_code == 200 and b'version:"2.0.' in js.data
    assert client.get("/static/vendor/pico.min.css").status_code == 200
