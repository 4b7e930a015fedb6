"""People, as a coordinator runs them from the browser: the list, invitations and their
links, changes of role, school or chair, deactivation, "forgot your password?", and the
audit list; every page refused to everyone else."""
import html
import re
import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from domain.models import LoginFailure, PersonChange, User, UserSession
from webapp.extensions import db

from ..conftest import PASSWORD, PEOPLE, csrf_token, login, without_csrf_tokens

NEW_PASSWORD = "a fresh long password"


def post(client, path, data, **kwargs):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/people/invite" if path.startswith(
        "/people") else path)}, **kwargs)


def invite(client, email="new@br.test.school", name="New Teacher", role="staff", school="BR", chair=False):
    data = {"email": email, "name": name, "role": role, "school": school}
    if chair:
        data["chair"] = "y"
    return post(client, "/people/invite", data)


def shown_link(response):
    match = re.search(r'id="password-link"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return html.unescape(match.group(1))


def user_id(app, email):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def choose(client, link, password=NEW_PASSWORD, again=None):
    path = link.replace("http://localhost", "")
    return client.post(path, data={"password": password, "again": password if again is None else again,
                                   "csrf_token": csrf_token(client, path)})


def test_the_people_page_shows_everyone_with_role_school_chair_active_and_last_sign_in(synced_app, login_as):
    client = login_as("admin")
    page = client.get("/people").get_data(as_text=True)
    for email, _, _ in PEOPLE.values():
        assert email in page
    row = re.search(r'<tr id="person-\d+">.*?head@br\.test\.school.*?</tr>', page, re.S).group(0)
    assert "Head teacher" in row and "Bank Road" in row and "Never" in row and "<td data-label=\"Active\">Yes" in row
    mine = re.search(r'<tr id="person-\d+">.*?admin@test\.school.*?</tr>', page, re.S).group(0)
    assert "Never" not in mine  # the sign-in just now is recorded


def test_people_are_found_by_name_or_email_and_filtered_by_school_and_role(login_as):
    client = login_as("admin")
    page = client.get("/people?q=GOVERNOR@").get_data(as_text=True)
    assert "governor@br.test.school" in page and "governor@wl.test.school" in page and "head@br" not in page
    page = client.get("/people?school=WL&role=head").get_data(as_text=True)
    assert "head@wl.test.school" in page and "staff@wl" not in page and "head@br" not in page
    assert "1 person matches these filters." in page
    assert "Nobody matches" in client.get("/people?q=%25_").get_data(as_text=True)  # wildcards are literal


def test_the_people_filters_swap_only_the_list_with_htmx_and_push_the_address(login_as):
    client = login_as("admin")
    response = client.get("/people?q=&school=BR&role=governor",
                          headers={"HX-Request": "true", "HX-Target": "people-list"})
    body = response.get_data(as_text=True)
    assert response.headers["HX-Push-Url"] == "/people?school=BR&role=governor"
    assert body.lstrip().startswith('<div id="people-list"') and "<h1>" not in body
    assert "governor@br.test.school" in body and "governor@wl" not in body


PEOPLE_ROUTES = [("get", "/people"), ("get", "/people/invite"), ("post", "/people/invite"), ("get", "/people/1"),
                 ("post", "/people/1"), ("post", "/people/1/deactivate"), ("post", "/people/1/reactivate"),
                 ("post", "/people/1/password-link"), ("get", "/people/changes")]


@pytest.mark.parametrize("who", ["br_staff", "br_head", "br_governor"])
def test_every_people_route_is_refused_to_everyone_but_coordinators(client, who):
    login(client, who)
    token = csrf_token(client, "/")
    for method, path in PEOPLE_ROUTES:
        response = getattr(client, method)(path, data={"csrf_token": token} if method == "post" else None)
        assert response.status_code == 403, (method, path)
        assert "Only partnership coordinators manage people." in response.get_data(as_text=True)
    assert 'href="/people"' not in client.get("/").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in_from_every_people_page(client):
    for method, path in PEOPLE_ROUTES:
        response = getattr(client, method)(path)
        if method == "get":
            assert response.status_code == 302 and response.headers["Location"].startswith("/login"), path
        else:  # no session, so no CSRF token either: refused before anything is done
            assert response.status_code in (302, 400), path


def test_an_invitation_without_mail_shows_the_link_once_and_it_sets_the_password_and_signs_in(synced_app, login_as):
    client = login_as("admin")
    response = invite(client, email="New@BR.test.school", name="Nia Newcomer", role="governor", chair=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Mail is not set up for the hub: give this link to" in page and "It works for 72 hours, once." in page
    link = shown_link(response)
    people_page = client.get("/people").get_data(as_text=True)
    assert "Nia Newcomer" in people_page and link not in people_page  # shown that once only
    assert "Invited as governor at Bank Road Infant and Nursery School (chair of governors)" in people_page

    newcomer = synced_app.test_client()
    assert login(newcomer, "new@br.test.school", "anything at all long").status_code == 422  # no password yet
    form = newcomer.get(link.replace("http://localhost", "")).get_data(as_text=True)
    assert "Choose your password" in form and "new@br.test.school" in form
    assert "at least 12 characters" in choose(newcomer, link, "short").get_data(as_text=True)
    assert "The two passwords differ" in choose(newcomer, link, NEW_PASSWORD, "something else entirely").get_data(
        as_text=True)
    response = choose(newcomer, link)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = newcomer.get("/").get_data(as_text=True)
    assert "Signed in as Nia Newcomer (governor, Bank Road" in home
    assert login(synced_app.test_client(), "new@br.test.school", NEW_PASSWORD).status_code == 302
    with synced_app.app_context():
        person = db.session.scalar(select(User).where(User.email == "new@br.test.school"))
        assert person.chair and person.role == "governor" and person.last_sign_in_at is not None


def test_an_invitation_that_cannot_be_made_says_why_by_the_field(login_as):
    client = login_as("admin")
    page = invite(client, email="head@br.test.school").get_data(as_text=True)
    assert "There is already a user head@br.test.school." in page
    response = invite(client, role="staff", school="")
    assert response.status_code == 422
    assert re.search(r'aria-describedby="school-error".*Choose the school this person belongs to', response.get_data(
        as_text=True), re.S)
    assert "Only a governor can be chair of governors." in invite(client, chair=True).get_data(as_text=True)
    assert "has no school" in invite(client, role="admin", school="BR").get_data(as_text=True)


def test_a_used_link_is_refused_with_a_clear_page(synced_app, login_as):
    link = shown_link(invite(login_as("admin")))
    newcomer = synced_app.test_client()
    assert choose(newcomer, link).status_code == 302
    again = synced_app.test_client().get(link.replace("http://localhost", ""))
    assert again.status_code == 410
    assert "This link has been used already" in again.get_data(as_text=True)
    assert "Pat" not in again.get_data(as_text=True)  # names only the coordinators there are
    assert "Your partnership coordinator is admin." in again.get_data(as_text=True)


def test_an_expired_link_is_refused_with_a_clear_page(synced_app, login_as, monkeypatch):
    link = shown_link(invite(login_as("admin")))
    later = int(time.time()) + 72 * 3600 + 60  # just past INVITE_HOURS
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    response = synced_app.test_client().get(link.replace("http://localhost", ""))
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "This link has expired" in page and "Password links work for 72 hours" in page


def test_a_tampered_link_is_refused_with_a_clear_page(synced_app, login_as):
    link = shown_link(invite(login_as("admin")))
    token = link.rsplit("/", 1)[1]
    payload, rest = token.split(".", 1)
    forged = "eyJpZCI6MSwidiI6MX0" + "." + rest  # {"id":1,"v":1}: the first user, with this link's signature
    for bad in (forged, token[:-3], "nonsense"):
        response = synced_app.test_client().get(f"/password/{bad}")
        assert response.status_code == 404
        assert "This link is not valid" in response.get_data(as_text=True)


def test_role_school_and_chair_changes_are_saved_and_kept_in_the_audit_list(synced_app, login_as):
    client = login_as("admin")
    staff = user_id(synced_app, "staff@br.test.school")
    response = post(client, f"/people/{staff}", {"role": "governor", "school": "WL", "chair": "y"})
    assert response.status_code == 303
    page = html.unescape(client.get(f"/people/{staff}").get_data(as_text=True))
    assert "Saved: Role: staff → governor; School: Bank Road" in page
    assert "admin <admin@test.school> — staff <staff@br.test.school>: Role: staff → governor" in page
    assert "Now chair of governors" in page
    changes = html.unescape(client.get("/people/changes").get_data(as_text=True))
    assert "Role: staff → governor" in changes
    refused = post(client, f"/people/{staff}", {"role": "staff", "school": "BR", "chair": "y"})
    assert refused.status_code == 422 and "Only a governor can be chair" in refused.get_data(as_text=True)


def test_deactivating_ends_their_sessions_at_once_and_reactivating_lets_them_sign_in_again(synced_app, login_as):
    teacher = synced_app.test_client()
    assert login(teacher, "br_staff").status_code == 302
    client = login_as("admin")
    staff = user_id(synced_app, "staff@br.test.school")
    assert post(client, f"/people/{staff}/deactivate", {}).status_code == 303
    with synced_app.app_context():
        assert db.session.scalar(select(func.count(UserSession.id)).where(UserSession.user_id == staff)) == 0
    assert teacher.get("/").status_code == 302  # their next click lands on sign-in
    assert login(teacher, "br_staff").status_code == 422
    assert "No: deactivated" in client.get("/people?q=staff@br").get_data(as_text=True)
    assert post(client, f"/people/{staff}/reactivate", {}).status_code == 303
    assert login(teacher, "br_staff").status_code == 302
    changes = client.get("/people/changes").get_data(as_text=True)
    assert changes.index("Reactivated") < changes.index("Deactivated; their sessions ended")  # newest first


def test_a_coordinator_cannot_deactivate_or_demote_themselves_or_the_last_coordinator(synced_app, login_as):
    client = login_as("admin")
    me = user_id(synced_app, "admin@test.school")
    page = html.unescape(client.post(f"/people/{me}/deactivate", data={"csrf_token": csrf_token(client, "/people")},
                                     follow_redirects=True).get_data(as_text=True))
    assert "You cannot deactivate yourself" in page
    response = post(client, f"/people/{me}", {"role": "head", "school": "BR"})
    assert response.status_code == 422 and "You cannot take away your own coordinator role" in response.get_data(
        as_text=True)
    with synced_app.app_context():
        assert db.session.get(User, me).active and db.session.get(User, me).role == "admin"


def test_a_coordinator_made_a_head_teacher_has_the_role_change_in_the_audit_list(synced_app, login_as):
    with synced_app.app_context():
        second = User(email="second@test.school", name="Second Coordinator", role="admin", password_hash="!")
        db.session.add(second)
        db.session.commit()
        second = second.id
    client = login_as("admin")
    assert post(client, f"/people/{second}", {"role": "head", "school": "BR"}).status_code == 303
    changes = html.unescape(client.get("/people/changes").get_data(as_text=True))
    assert "Second Coordinator <second@test.school>: Role: partnership coordinator → head teacher" in changes


def test_the_people_list_shows_a_coordinator_deactivated_or_made_a_head_at_once(synced_app, login_as):
    """The list is drawn once and kept (webapp/people/routes.py): taking a coordinator's role
    or account away, done in one guarded UPDATE, moves on what keys it as any change does."""
    with synced_app.app_context():
        for n in (2, 3):
            db.session.add(User(email=f"c{n}@test.school", name=f"Coordinator {n}", role="admin", password_hash="!"))
        db.session.commit()
    client = login_as("admin")

    def line(email):
        page = client.get("/people").get_data(as_text=True)
        return re.search(rf"<tr id=\"person-\d+\">(?:(?!</tr>).)*{re.escape(email)}.*?</tr>", page, re.S).group(0)

    assert "Partnership coordinator" in line("c2@test.school") and ">Yes</td>" in line("c3@test.school")
    assert post(client, f"/people/{user_id(synced_app, 'c2@test.school')}", {"role": "head", "school": "BR"}
                ).status_code == 303
    assert post(client, f"/people/{user_id(synced_app, 'c3@test.school')}/deactivate", {}).status_code == 303
    assert "Head teacher" in line("c2@test.school")
    assert "No: deactivated" in line("c3@test.school")


def test_a_new_password_link_leaves_the_old_password_working_until_the_new_one_is_set(synced_app, login_as):
    client = login_as("admin")
    head = user_id(synced_app, "head@br.test.school")
    link = shown_link(post(client, f"/people/{head}/password-link", {}))
    assert login(synced_app.test_client(), "br_head").status_code == 302  # the old one still works
    assert choose(synced_app.test_client(), link).status_code == 302
    assert login(synced_app.test_client(), "br_head").status_code == 422
    assert login(synced_app.test_client(), "head@br.test.school", NEW_PASSWORD).status_code == 302


def test_the_sign_in_page_names_the_coordinators_and_links_to_forgot_password(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Ask your partnership coordinator to reset it" not in page
    assert 'href="/forgot-password"' in page and "Your partnership coordinator is admin." in page


def test_forgot_password_answers_the_same_whether_or_not_the_address_has_an_account(synced_app, client):
    def ask(email):
        page = client.post("/forgot-password", data={"email": email, "csrf_token": csrf_token(client, "/forgot-password")})
        return page.status_code, without_csrf_tokens(page.get_data(as_text=True)).replace(email, "ADDRESS")

    assert ask("staff@br.test.school") == ask("nobody@br.test.school")
    status, page = ask("staff@br.test.school")
    assert status == 200 and "If ADDRESS has an account here, a link" in page
    with synced_app.app_context():  # without mail, coordinators see who asked
        whats = list(db.session.scalars(select(PersonChange.what)))
        assert whats.count("Asked for a password link (no mail server: a coordinator can send one)") == 2


def test_forgot_password_is_limited_per_account_and_per_address(synced_app, client):
    def ask(email):
        return client.post("/forgot-password", data={"email": email, "csrf_token": csrf_token(client, "/forgot-password")})

    assert [ask("staff@br.test.school").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "Too many requests for password links" in ask("staff@br.test.school").get_data(as_text=True)
    for n in range(5):
        assert ask(f"someone{n}@test.school").status_code == 200
    assert ask("someone-else@test.school").status_code == 429  # ten from this address in the window
    with synced_app.app_context():
        keys = set(db.session.scalars(select(LoginFailure.key)))
        assert "reset-account:staff@br.test.school" in keys and "account:staff@br.test.school" not in keys
    assert login(synced_app.test_client(), "br_staff", PASSWORD).status_code == 302  # sign-in is not affected


def test_the_audit_list_is_newest_first_25_a_page(synced_app, login_as):
    from datetime import timedelta

    from domain.models import utcnow

    with synced_app.app_context():
        start = utcnow() - timedelta(days=1)
        someone = db.session.scalar(select(User).where(User.email == "staff@br.test.school"))
        db.session.add_all([PersonChange(at=start + timedelta(minutes=n), by="admin", person="someone",
                                         person_id=someone.id, what=f"Change number {n}") for n in range(30)])
        db.session.commit()
    client = login_as("admin")
    first = client.get("/people/changes").get_data(as_text=True)
    assert first.index("Change number 29") < first.index("Change number 5") and "Change number 4<" not in first
    assert "Page 1 of 2" in first and 'href="/people/changes?page=2"' in first
    second = client.get("/people/changes?page=2").get_data(as_text=True)
    assert "Change number 4<" in second and "Change number 0<" in second and "Change number 29" not in second
    assert "Change number 29" in client.get("/people").get_data(as_text=True)  # the latest, on the people page


def test_an_invitation_to_two_addresses_at_once_is_refused(login_as):
    client = login_as("admin")
    for email in ("victim@x.test, attacker@evil.test", "a@b.test\nBcc: attacker@evil.test"):
        response = client.post("/people/invite", data={
            "email": email, "name": "Two", "role": "staff", "school": "BR",
            "csrf_token": csrf_token(client, "/people/invite")})
        assert response.status_code == 422 and "not an e-mail address" in response.get_data(as_text=True)


def chairs_at(app, code):
    with app.app_context():
        return sorted(u.email for u in db.session.scalars(select(User).where(User.chair.is_(True)))
                      if u.school and u.school.code == code)


def audit_of(app, email):
    with app.app_context():
        return [c.what for c in db.session.scalars(select(PersonChange).where(PersonChange.person.contains(email))
                                                   .order_by(PersonChange.id))]


def test_making_a_governor_chair_unseats_the_schools_previous_chair_and_says_so(synced_app, login_as):
    client = login_as("admin")
    governor, staff = user_id(synced_app, "governor@br.test.school"), user_id(synced_app, "staff@br.test.school")
    assert post(client, f"/people/{governor}", {"role": "governor", "school": "BR", "chair": "y"}).status_code == 303
    assert chairs_at(synced_app, "BR") == ["governor@br.test.school"]
    response = post(client, f"/people/{staff}", {"role": "governor", "school": "BR", "chair": "y"},
                    follow_redirects=True)
    page = html.unescape(response.get_data(as_text=True))
    assert "Now chair of governors; governor is no longer chair of governors at Bank Road" in page
    assert chairs_at(synced_app, "BR") == ["staff@br.test.school"]
    assert audit_of(synced_app, "governor@br.test.school")[-1] == \
        "No longer chair of governors: staff <staff@br.test.school> is now chair at Bank Road Infant and Nursery School"
    assert audit_of(synced_app, "staff@br.test.school")[-1].endswith(
        "Now chair of governors, in place of governor <governor@br.test.school>")
    old_page = html.unescape(client.get(f"/people/{governor}").get_data(as_text=True))
    assert "No longer chair of governors: staff <staff@br.test.school> is now chair" in old_page


def test_inviting_a_chair_unseats_the_previous_chair_and_the_link_page_says_so(synced_app, login_as):
    client = login_as("admin")
    governor = user_id(synced_app, "governor@br.test.school")
    post(client, f"/people/{governor}", {"role": "governor", "school": "BR", "chair": "y"})
    response = invite(client, email="newchair@br.test.school", name="Nia Newchair", role="governor", chair=True)
    page = html.unescape(response.get_data(as_text=True))
    assert "Nia Newchair is invited." in page and "governor is no longer chair of governors at Bank Road" in page
    assert chairs_at(synced_app, "BR") == ["newchair@br.test.school"]
    assert "in place of governor <governor@br.test.school>" in audit_of(synced_app, "newchair@br.test.school")[0]


def test_a_chair_moved_to_another_school_or_role_does_not_stay_chair_wrongly(synced_app, login_as):
    client = login_as("admin")
    br, wl = user_id(synced_app, "governor@br.test.school"), user_id(synced_app, "governor@wl.test.school")
    post(client, f"/people/{br}", {"role": "governor", "school": "BR", "chair": "y"})
    post(client, f"/people/{wl}", {"role": "governor", "school": "WL", "chair": "y"})
    # Moved with the box still ticked: chair of the new school, whose own chair steps down.
    page = html.unescape(post(client, f"/people/{br}", {"role": "governor", "school": "WL", "chair": "y"},
                              follow_redirects=True).get_data(as_text=True))
    assert "Now chair of governors at William Lilley" in page and "governor is no longer chair of governors at William Lilley" in page
    assert chairs_at(synced_app, "WL") == ["governor@br.test.school"] and chairs_at(synced_app, "BR") == []
    # Moved back unticked: chair nowhere.
    page = html.unescape(post(client, f"/people/{br}", {"role": "governor", "school": "BR"},
                              follow_redirects=True).get_data(as_text=True))
    assert "No longer chair of governors" in page
    assert chairs_at(synced_app, "WL") == chairs_at(synced_app, "BR") == []
    # A chair given another role cannot keep the chair.
    post(client, f"/people/{wl}", {"role": "governor", "school": "WL", "chair": "y"})
    refused = post(client, f"/people/{wl}", {"role": "staff", "school": "WL", "chair": "y"})
    assert refused.status_code == 422 and chairs_at(synced_app, "WL") == ["governor@wl.test.school"]
    post(client, f"/people/{wl}", {"role": "staff", "school": "WL"})
    assert chairs_at(synced_app, "WL") == []


def test_a_newer_link_cancels_the_older_one_and_still_works_only_once(synced_app, login_as):
    client = login_as("admin")
    first = shown_link(invite(client))  # link A: the invitation
    person = user_id(synced_app, "new@br.test.school")
    second = shown_link(post(client, f"/people/{person}/password-link", {}))  # link B, sent later
    newcomer = synced_app.test_client()
    refused = newcomer.get(first.replace("http://localhost", ""))
    assert refused.status_code == 410
    page = html.unescape(refused.get_data(as_text=True))
    assert "This link no longer works" in page and "newer" not in page  # nothing said of a newer link
    assert choose(newcomer, first).status_code == 410  # nor can a password be chosen with it
    assert login(synced_app.test_client(), "new@br.test.school", NEW_PASSWORD).status_code == 422
    assert choose(newcomer, second).status_code == 302  # B works
    assert login(synced_app.test_client(), "new@br.test.school", NEW_PASSWORD).status_code == 302
    again = synced_app.test_client().get(second.replace("http://localhost", ""))
    assert again.status_code == 410 and "This link has been used already" in again.get_data(as_text=True)



def test_asking_for_a_link_with_no_mail_server_cancels_no_link(synced_app, login_as):
    link = shown_link(post(login_as("admin"), f"/people/{user_id(synced_app, 'staff@br.test.school')}/password-link",
                           {}))
    stranger = synced_app.test_client()  # anyone may type an address in: no link is made, none cancelled
    stranger.post("/forgot-password", data={"email": "staff@br.test.school",
                                            "csrf_token": csrf_token(stranger, "/forgot-password")})
    assert choose(synced_app.test_client(), link).status_code == 302


def test_a_person_with_the_longest_name_and_address_gets_their_audit_entry(synced_app):
    """A name of 200 characters and an address of 254 are more than the audit list's 300
    together: the entry is cut, not refused (PostgreSQL refuses a longer value)."""
    from domain import people

    name, email = "N" * 200, "a" * 64 + "@" + ".".join(["b" * 62, "b" * 62, "b" * 60]) + ".uk"
    with synced_app.app_context():
        assert len(email) == 254
        people.invite(db.session, "the command line", email, name, "staff", "BR")
        db.session.commit()
        entry = db.session.scalars(select(PersonChange).order_by(PersonChange.id.desc())).first()
        assert entry.person.startswith(name + " <aaaa") and len(entry.person) == 300
