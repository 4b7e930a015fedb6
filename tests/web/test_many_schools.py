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
