"""The "page expired" (CSRF) page links back to this site only, never to a foreign Referer."""
import pytest

from ..conftest import PASSWORD, PEOPLE


def test_the_page_expired_page_never_links_to_another_site(client):
    response = client.post("/login", data={"email": PEOPLE["br_head"][0], "password": PASSWORD},
                           headers={"Referer": "https://evil.example/phish?x=1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "This page has expired" in html
    assert "evil.example" not in html
    assert '<a href="/" role="button">Reload the page</a>' in html


def test_the_page_expired_page_links_back_to_the_form_on_this_site(client):
    response = client.post("/login", data={"email": PEOPLE["br_head"][0], "password": PASSWORD},
                           headers={"Referer": "http://localhost/login?next=/plans/BR"})
    assert '<a href="/login?next=/plans/BR" role="button">Reload the page</a>' in response.get_data(as_text=True)


@pytest.mark.parametrize("referrer", ["http://localhost.evil.example/", "https://localhost/", "http://localhost//evil.example/x"])
def test_a_referrer_that_only_looks_like_this_site_is_not_linked(client, referrer):
    response = client.post("/login", data={"email": "x"}, headers={"Referer": referrer})
    assert '<a href="/" role="button">Reload the page</a>' in response.get_data(as_text=True)
