"""A partnership of many schools (bench.page_queries.build: 50 action rows, 300 impact-log
rows and 10 priorities each): pages read in as many statements at 25 schools as at 5,
and the lists that grow with the partnership stay readable."""
import re

import pytest

from bench.page_queries import PAGES, PASSWORD, build, measure
from webapp.extensions import db


@pytest.fixture
def partnership(tmp_path):
    def make(schools):
        app = build(f"sqlite:///{tmp_path / f'hub-{schools}.sqlite'}", schools)
        yield_app.append(app)
        return app

    yield_app = []
    yield make
    for app in yield_app:
        with app.app_context():
            db.engine.dispose()


def signed_in(app, role):
    client = app.test_client()
    client.post("/login", data={"email": f"{role}@bench.school", "password": PASSWORD})
    return client


def test_every_page_reads_in_as_many_statements_for_25_schools_as_for_5(partnership):
    small, large = partnership(5), partnership(25)
    grew = {}
    for what, role, path in PAGES:
        if path.endswith(".pdf"):
            continue  # the pack is the summary's page, drawn as PDF: the summary is counted
        few, many = measure(small, role, path, tries=1)[0], measure(large, role, path, tries=1)[0]
        if few != many:
            grew[what] = (few, many)
    assert grew == {}, f"statements that grow with the schools (an N+1): {grew}"


def test_a_head_sees_six_partners_by_name_and_the_rest_a_link_away(partnership):
    app = partnership(25)
    html = signed_in(app, "head").get("/").get_data(as_text=True)
    others = re.findall(r"Also working on it: (.*?)</small>", html, re.S)
    assert others, "the head's shared priorities are listed"
    for line in others:
        assert line.count("School ") <= 7  # six names, and the link's own words
        link = re.search(r'and <a href="(/priorities/\d+/who-else)">(\d+) more</a>', line)
        assert link, line
    who_else = signed_in(app, "head").get(link.group(1)).get_data(as_text=True)
    assert who_else.count("<li") >= int(link.group(2)) + 6


def test_a_theme_shared_by_many_schools_says_how_many_instead_of_a_wall_of_names(partnership):
    app = partnership(25)
    html = signed_in(app, "staff").get("/priorities").get_data(as_text=True)
    assert re.search(r"Shared by \d\d schools, each named below\.", html)
    assert "Showing 1 to 50." in html and len(re.findall(r'<article class="priority"', html)) == 50


def test_every_home_stays_under_60_kb_at_200_schools_and_hardly_grows_from_25(partnership):
    small, large = partnership(25), partnership(200)
    for role in ("admin", "head", "staff", "governor"):
        few = len(signed_in(small, role).get("/").data)
        many = len(signed_in(large, role).get("/").data)
        assert many < 60_000, (role, many)
        assert many - few < 2_000, (role, few, many)  # the schools counted, never a line each


def test_the_coordinators_plans_are_25_a_page_in_the_address_those_needing_someone_first(partnership):
    from sqlalchemy import select

    from domain import scope
    from domain.models import Partnership, School, SheetProblem

    app = partnership(60)
    with app.app_context():
        with scope.entered(db.session, db.session.scalar(select(Partnership.id))):
            schools = db.session.scalars(select(School).order_by(School.name)).all()
            last = schools[-1]  # last by name: its sheet problem brings it to the first page
            db.session.add(SheetProblem(workbook_id=last.workbook.id, tab="Action plan", row=3, column="Due",
                                        message="Not a date", fix="Write a date"))
            db.session.commit()
        names = [s.name for s in schools]
    client = signed_in(app, "admin")
    first = client.get("/").get_data(as_text=True)
    rows = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', first)
    assert rows[:2] == ["Joint action plan", last.name] and len(rows) == 25
    assert rows[2:] == names[:23] and "Page 1 of 3" in first and "<strong>60</strong> schools and the joint plan." in first
    assert "<strong>1</strong> sheet problem, in 1 plan." in first
    second = client.get("/?page=2").get_data(as_text=True)  # a page of its own, without scripts
    assert "<h1>The partnership's schools</h1>" in second
    assert re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', second) == names[23:48]
    assert 'href="/?page=3" rel="next"' in second and 'href="/" rel="prev"' in second
    response = client.get("/?page=2", headers={"HX-Request": "true", "HX-Target": "school-lines"})
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="school-lines"') and "<h1>" not in fragment
    assert response.headers["HX-Push-Url"] == "/?page=2" and names[23] in fragment and "For you" not in fragment


def test_a_home_names_a_few_schools_and_counts_many_the_list_a_page_away(partnership):
    app = partnership(30)
    staff = signed_in(app, "staff")
    home = staff.get("/").get_data(as_text=True)
    assert "30 schools in the partnership." in home and "Yours: " in home and "School 2 " not in home
    assert 'href="/partnership/schools">Every school and its head teacher</a>' in home
    first = staff.get("/partnership/schools").get_data(as_text=True)
    assert "Schools 1 to 25 of 30" in first and 'href="/partnership/schools?page=2"' in first
    second = staff.get("/partnership/schools?page=2").get_data(as_text=True)
    names = sorted(f"School {n}" for n in range(1, 31))
    assert "Schools 26 to 30 of 30" in second and all(f"<strong>{name}</strong>" in second for name in names[25:])
    assert f"<strong>{names[24]}</strong>" not in second


def test_whether_a_person_sees_each_plan_is_asked_as_often_for_25_schools_as_for_5(partnership, monkeypatch):
    from domain import access

    asked = []
    sees_every_school = access.sees_every_school
    monkeypatch.setattr(access, "sees_every_school", lambda user: asked.append(1) or sees_every_school(user))
    small, large = partnership(5), partnership(25)
    for role in ("admin", "head", "staff", "governor"):
        counts = []
        for app in (small, large):
            client = signed_in(app, role)
            asked.clear()
            client.get("/")
            counts.append(len(asked))
        assert counts[0] == counts[1], (role, counts)
