"""Password links by e-mail, through a real SMTP server on loopback (aiosmtpd), never a mock."""
import re

from ..conftest import PEOPLE, csrf_token, login, without_csrf_tokens

NEW_PASSWORD = "a fresh long password"


def link_in(message):
    return re.search(r"http://localhost(/password/\S+)", message.get_content()).group(1)


def test_an_invitation_arrives_by_email_and_its_link_sets_the_password_and_signs_in(synced_app, inbox, login_as):
    client = login_as("admin")
    response = client.post("/people/invite", data={
        "email": "kim@wl.test.school", "name": "Kim Keen", "role": "head", "school": "WL",
        "csrf_token": csrf_token(client, "/people/invite")}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Kim Keen is invited. A link to choose a password is on its way to kim@wl.test.school." in page
    assert "/password/" not in page  # with mail, the link is in the e-mail only
    [(to, message)] = inbox.messages
    assert to == ["kim@wl.test.school"] and message["From"] == "hub@test.school"
    assert message["Subject"] == "You are invited to Partnership Hub"
    assert "works for 72 hours, once" in message.get_content()

    kim = synced_app.test_client()
    path = link_in(message)
    response = kim.post(path, data={"password": NEW_PASSWORD, "again": NEW_PASSWORD,
                                    "csrf_token": csrf_token(kim, path)}, follow_redirects=True)
    assert "Your password is set, Kim Keen. You are signed in." in response.get_data(as_text=True)
    assert "Signed in as Kim Keen (head, William Lilley" in response.get_data(as_text=True)
    assert "This link has been used already" in synced_app.test_client().get(path).get_data(as_text=True)


def test_forgot_password_mails_a_link_only_to_an_account_and_answers_the_same(synced_app, inbox, client):
    answers = []
    for email in ("staff@br.test.school", "nobody@br.test.school"):
        page = client.post("/forgot-password", data={"email": email, "csrf_token": csrf_token(client, "/forgot-password")})
        answers.append(without_csrf_tokens(page.get_data(as_text=True).replace(email, "ADDRESS")))
    assert answers[0] == answers[1]
    [(to, message)] = inbox.messages
    assert to == [PEOPLE["br_staff"][0]] and "If you did not ask for it, ignore this message" in message.get_content()
    assert login(synced_app.test_client(), "br_staff").status_code == 302  # the old password still works
    path = link_in(message)
    other = synced_app.test_client()
    other.post(path, data={"password": NEW_PASSWORD, "again": NEW_PASSWORD, "csrf_token": csrf_token(other, path)})
    assert login(synced_app.test_client(), "staff@br.test.school", NEW_PASSWORD).status_code == 302


def test_when_the_mail_server_is_down_the_coordinator_is_shown_the_link_and_told(synced_app, inbox, login_as):
    synced_app.config["MAIL_PORT"] = 1  # nothing listens there
    client = login_as("admin")
    page = client.post("/people/invite", data={
        "email": "kim@wl.test.school", "name": "Kim Keen", "role": "staff", "school": "WL",
        "csrf_token": csrf_token(client, "/people/invite")}).get_data(as_text=True)
    assert "could not be sent. Pass this link on to them yourself." in page
    assert 'id="password-link"' in page


def test_a_link_the_person_asks_for_cancels_the_one_a_coordinator_sent(synced_app, inbox, login_as):
    client = login_as("admin")
    client.post("/people/invite", data={"email": "kim@wl.test.school", "name": "Kim Keen", "role": "staff",
                                        "school": "WL", "csrf_token": csrf_token(client, "/people/invite")})
    kim = synced_app.test_client()
    kim.post("/forgot-password", data={"email": "kim@wl.test.school", "csrf_token": csrf_token(kim, "/forgot-password")})
    [(_, invitation), (_, asked)] = inbox.messages
    refused = kim.get(link_in(invitation))
    assert refused.status_code == 410 and "This link no longer works" in refused.get_data(as_text=True)
    assert "newer" not in refused.get_data(as_text=True)
    path = link_in(asked)
    response = kim.post(path, data={"password": NEW_PASSWORD, "again": NEW_PASSWORD,
                                    "csrf_token": csrf_token(kim, path)})
    assert response.status_code == 302 and login(synced_app.test_client(), "kim@wl.test.school",
                                                 NEW_PASSWORD).status_code == 302


def test_a_link_asked_for_while_the_mail_server_is_down_leaves_the_coordinators_link_working(
        synced_app, inbox, login_as):
    synced_app.config["MAIL_PORT"] = 1  # nothing listens there
    client = login_as("admin")
    page = client.post("/people/invite", data={
        "email": "kim@wl.test.school", "name": "Kim Keen", "role": "staff", "school": "WL",
        "csrf_token": csrf_token(client, "/people/invite")}).get_data(as_text=True)
    passed_on = re.search(r"http://localhost(/password/[^\s\"<]+)", page).group(1)  # shown to pass on
    kim = synced_app.test_client()
    kim.post("/forgot-password", data={"email": "kim@wl.test.school", "csrf_token": csrf_token(kim, "/forgot-password")})
    # That e-mail reached nobody: the link the coordinator passed on still works.
    response = kim.post(passed_on, data={"password": NEW_PASSWORD, "again": NEW_PASSWORD,
                                         "csrf_token": csrf_token(kim, passed_on)})
    assert response.status_code == 302
    assert login(synced_app.test_client(), "kim@wl.test.school", NEW_PASSWORD).status_code == 302
