"""Who sees what: every role against every school page, and nothing leaks."""
import pytest
from sqlalchemy import select

from domain.models import ActionRow, Workbook
from webapp.extensions import db

from ..conftest import PEOPLE, login

# Text that only each school's own plan contains.
MARKERS = {"BR": "Annual safeguarding audit completed", "WL": "Growth mindset across the school"}


@pytest.fixture
def row_ids(synced_app):
    """{school code: the id of one of its action rows}."""
    with synced_app.app_context():
        return {
            code: db.session.scalar(
                select(ActionRow.id).join(Workbook).where(Workbook.code == code).order_by(ActionRow.id).limit(1)
            )
            for code in ("BR", "WL", "joint")
        }


def school_pages(code, row_id):
    return [
        (f"/plans/{code}", {}),
        (f"/plans/{code}?area=Safeguarding&status=Complete", {}),
        (f"/plans/{code}?area=EHWB", {"HX-Request": "true", "HX-Target": "plan-rows"}),
        (f"/plans/{code}/rows/{row_id}", {}),
        (f"/plans/{code}/rows/{row_id}", {"HX-Request": "true", "HX-Target": f"row-{row_id}"}),
        (f"/plans/{code}/problems", {}),
    ]


# (person, school) -> may they see that school's pages?
EXPECTED = {
    ("admin", "BR"): True, ("admin", "WL"): True,
    ("br_head", "BR"): True, ("br_head", "WL"): False,
    ("br_staff", "BR"): True, ("br_staff", "WL"): False,
    ("br_governor", "BR"): True, ("br_governor", "WL"): False,
    ("wl_head", "BR"): False, ("wl_head", "WL"): True,
    ("wl_staff", "BR"): False, ("wl_staff", "WL"): True,
    ("wl_governor", "BR"): False, ("wl_governor", "WL"): True,
}


@pytest.mark.parametrize("who, code", sorted(EXPECTED))
def test_every_role_against_every_school_page(client, row_ids, who, code):
    login(client, who)
    for path, headers in school_pages(code, row_ids[code]):
        response = client.get(path, headers=headers)
        html = response.get_data(as_text=True)
        if EXPECTED[(who, code)]:
            assert response.status_code == 200, path
        else:
            assert response.status_code == 403, path
            assert MARKERS[code] not in html, path


@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_everyone_signed_in_sees_the_home_and_the_joint_plan(client, row_ids, who):
    login(client, who)
    assert client.get("/").status_code == 200
    assert client.get("/plans/joint").status_code == 200
    assert client.get(f"/plans/joint/rows/{row_ids['joint']}").status_code == 200
    assert client.get("/plans/joint/problems").status_code == 200


@pytest.mark.parametrize("path", ["/", "/plans/joint", "/plans/BR", "/plans/BR/problems"])
def test_signed_out_visitors_see_nothing(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_row_cannot_be_read_through_another_plans_address(client, row_ids):
    login(client, "br_staff")
    response = client.get(f"/plans/BR/rows/{row_ids['WL']}")
    assert response.status_code == 404
    assert MARKERS["WL"] not in response.get_data(as_text=True)


def test_an_unknown_school_is_404(client):
    login(client, "admin")
    assert client.get("/plans/XX").status_code == 404


def test_the_home_links_only_to_schools_the_user_may_open(client):
    login(client, "br_governor")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/plans/BR"' in html and 'href="/plans/WL"' not in html
    assert "William Lilley Infant and Nursery School" in html  # listed, not linked
