"""Sign in with the school's own account, against real OpenID providers on loopback
(tests/oidc: oidc-provider as Google and as Microsoft). The hub's test client plays the
browser at the hub; a requests session plays the same browser at the provider's pages."""
import re
import socket
import threading
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from sqlalchemy import select, update

from domain import school_accounts
from domain.models import AccountLink, Membership, PersonChange, School, SchoolSignIn, SignInState, User, utcnow
from domain.scope import HUB_WIDE
from tests.conftest import PEOPLE, csrf_token, login
from tests.oidc import OTHER_TENANT, SCHOOL_TENANT
from tests.partnership_helpers import OAKFIELD, OTHER_PEOPLE, WILLIAM_LILLEY, add_other_partnership
from webapp.auth import school_accounts as school_account_providers
from webapp.auth.links import password_link
from webapp.background import work_off
from webapp.extensions import db

STAFF = PEOPLE["br_staff"][0]  # staff@br.test.school, of Brookside (BR)


def at_provider(provider, authorize_url, login_as):
    """The person at the provider's own pages: its sign-in form, then back towards the hub.
    Returns the hub's callback path (with code and state) the provider sends them to."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    action = re.search(r'action="(/interaction/[^"]+)"', page.text)
    assert action, page.text[:500]
    response = browser.post(provider.issuer + action.group(1), data={"login": login_as}, allow_redirects=False,
                            timeout=10)
    while response.is_redirect and urljoin(provider.issuer, response.headers["Location"]).startswith(provider.issuer):
        response = browser.get(urljoin(provider.issuer, response.headers["Location"]), allow_redirects=False,
                               timeout=10)
    assert response.is_redirect, response.text[:500]
    back = urlsplit(response.headers["Location"])
    assert (back.scheme, back.netloc) == ("http", "localhost"), back  # the hub's own address (HUB_URL)
    return urlunsplit(("", "", back.path, back.query, ""))


def begin(client, key, next_page=None):
    response = client.get(f"/sign-in/{key}" + (f"?next={next_page}" if next_page else ""))
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def sign_in_with(client, provider, login_as, key=None):
    """The whole round: the hub's button, the provider's page, the hub's answer."""
    callback = at_provider(provider, begin(client, key or provider.kind), login_as)
    return client.get(callback)


def google_account(email, sub="g-1001", hd="br.test.school", verified=True, name="Sam Staff"):
    return {"sub": sub, "email": email, "email_verified": verified, "hd": hd, "name": name}


def microsoft_account(email, oid="0a1b2c3d-0000-4000-8000-000000000001", tid=SCHOOL_TENANT, name="Sam Staff"):
    return {"sub": f"pairwise-{oid}", "oid": oid, "tid": tid, "email": email, "name": name,
            "preferred_username": email}


def name_sources(app, code="BR", domains="", tenants="", only=False):
    """How the partnership that holds the school names its accounts' organisation."""
    with app.app_context():
        school = db.session.scalar(select(School).where(School.code == code).execution_options(**HUB_WIDE))
        pid = db.session.scalar(select(Membership.partnership_id).where(Membership.school_id == school.id)
                                .order_by(Membership.id).execution_options(**HUB_WIDE))
        db.session.merge(SchoolSignIn(partnership_id=pid, school_id=school.id, email_domains=domains,
                                      microsoft_tenants=tenants, school_accounts_only=only, changed_by="test"))
        db.session.commit()


NOT_THIS_ACCOUNT = "The hub cannot sign you in with this {} account"


def refused_as(response, provider="Google"):
    """Refused with the one answer that tells no one whether the address has an account."""
    return response.status_code == 403 and NOT_THIS_ACCOUNT.format(provider) in response.get_data(as_text=True)


def coordinator_and_staff(app):
    """A coordinator's browser, signed in, and the id of the teacher (STAFF) on their People pages."""
    coordinator = app.test_client()
    login(coordinator, "admin")
    with app.app_context():
        return coordinator, db.session.scalar(select(User.id).where(User.email == STAFF))


def home_of(client):
    return client.get("/", follow_redirects=True).get_data(as_text=True)


def audit_before_sign_ins(app):
    """The demo's own audit entries (people invited), none about signing in."""
    return [what for what in audit(app) if "Sign-in" not in what and "Linked" not in what]


def audit(app):
    with app.app_context():
        return [change.what for change in db.session.scalars(select(PersonChange).order_by(PersonChange.id))]


def links(app):
    with app.app_context():
        return [(link.provider, link.subject, link.email, link.user.email)
                for link in db.session.scalars(select(AccountLink).order_by(AccountLink.id))]


# --- The page offers what is configured -----------------------------------------------------

def test_sign_in_page_offers_each_configured_provider_above_the_password_form(client, school_accounts_hub):
    html = client.get("/login").get_data(as_text=True)
    assert html.index("Sign in with Google") < html.index("Sign in with Microsoft") < html.index('name="password"')


def test_a_hub_without_providers_offers_only_the_password(client):
    html = client.get("/login").get_data(as_text=True)
    assert "Sign in with Google" not in html and "Sign in with Microsoft" not in html
    assert client.get("/sign-in/google").status_code == 404


# --- Google ------------------------------------------------------------------------------------

def test_google_account_from_the_schools_domain_signs_its_person_in_and_is_linked(
        client, school_accounts_hub, google_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school")
    google_stand_in.set_accounts({STAFF: google_account(STAFF)})
    response = sign_in_with(client, google_stand_in, STAFF)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    html = home_of(client)
    assert "Signed in with your Google account." in html and "Sign out" in html
    assert links(school_accounts_hub) == [("google", "g-1001", STAFF, STAFF)]
    assert any("Linked their Google account" in what for what in audit(school_accounts_hub))


def test_signing_in_returns_to_the_page_asked_for(client, school_accounts_hub, google_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school")
    google_stand_in.set_accounts({STAFF: google_account(STAFF)})
    callback = at_provider(google_stand_in, begin(client, "google", next_page="/calendar"), STAFF)
    assert client.get(callback).headers["Location"] == "/calendar"


def test_an_address_nobody_has_is_refused_and_the_coordinators_see_it(client, school_accounts_hub, google_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school")
    google_stand_in.set_accounts({"stranger@br.test.school": google_account("stranger@br.test.school", sub="g-9")})
    response = sign_in_with(client, google_stand_in, "stranger@br.test.school")
    assert refused_as(response) and "ask your coordinator to invite you" in response.get_data(as_text=True)
    assert "Sign out" not in home_of(client)  # not signed in: the home sends them to sign in
    assert links(school_accounts_hub) == []
    with school_accounts_hub.app_context():
        assert db.session.scalar(select(User).where(User.email == "stranger@br.test.school")) is None  # nobody made
    coordinator = school_accounts_hub.test_client()
    login(coordinator, "admin")
    changes = coordinator.get("/people/changes").get_data(as_text=True)
    assert "stranger@br.test.school, br.test.school" in changes and "no one in the hub has this address" in changes


def test_an_address_nobody_has_from_an_organisation_no_school_names_is_in_no_audit_list(
        client, school_accounts_hub, google_stand_in):
    google_stand_in.set_accounts({"someone@gmail.com": google_account("someone@gmail.com", sub="g-8", hd=None)})
    assert refused_as(sign_in_with(client, google_stand_in, "someone@gmail.com"))
    assert audit(school_accounts_hub) == audit_before_sign_ins(school_accounts_hub)


def test_refusals_count_as_failed_sign_ins_and_stop_filling_the_audit_list(school_accounts_hub, google_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school")
    school_accounts_hub.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 2
    google_stand_in.set_accounts({"stranger@br.test.school": google_account("stranger@br.test.school", sub="g-9")})
    answers = [sign_in_with(school_accounts_hub.test_client(), google_stand_in, "stranger@br.test.school")
               for _ in range(3)]
    assert [answer.status_code for answer in answers] == [403, 403, 429]
    assert "Too many refused sign-ins" in answers[2].get_data(as_text=True)
    assert sum("no one in the hub has this address" in what for what in audit(school_accounts_hub)) == 2


def test_an_address_google_has_not_verified_is_refused(client, school_accounts_hub, google_stand_in):
    google_stand_in.set_accounts({STAFF: google_account(STAFF, verified=False)})
    response = sign_in_with(client, google_stand_in, STAFF)
    assert response.status_code == 403 and "Google does not vouch for this address" in response.get_data(
        as_text=True)
    assert links(school_accounts_hub) == []


def test_a_personal_google_account_on_a_school_address_is_not_vouched_for(client, school_accounts_hub,
                                                                          google_stand_in):
    """No hd: a Google account someone made on the school's address, not the school's Workspace."""
    google_stand_in.set_accounts({STAFF: google_account(STAFF, hd=None)})
    response = sign_in_with(client, google_stand_in, STAFF)
    assert response.status_code == 403 and "Google does not vouch for this address" in response.get_data(
        as_text=True)
    assert links(school_accounts_hub) == []
    assert any("Sign-in refused (staff@br.test.school): the provider does not vouch for the address" in what
               for what in audit(school_accounts_hub))


def test_an_account_from_another_domain_is_refused_though_its_address_matches(
        client, school_accounts_hub, google_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school")
    google_stand_in.set_accounts({STAFF: google_account(STAFF, hd="elsewhere.example")})
    assert refused_as(sign_in_with(client, google_stand_in, STAFF))
    assert links(school_accounts_hub) == []
    assert any("elsewhere.example): the account is not from a domain or tenant named" in what
               for what in audit(school_accounts_hub))


# --- Microsoft ---------------------------------------------------------------------------------

def test_microsoft_account_of_the_schools_tenant_signs_in(client, school_accounts_hub, microsoft_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school", tenants=SCHOOL_TENANT)
    microsoft_stand_in.set_accounts({STAFF: microsoft_account(STAFF)})
    response = sign_in_with(client, microsoft_stand_in, STAFF)
    assert response.status_code == 302
    assert "Signed in with your Microsoft account." in home_of(client)
    # Linked by the tenant's stable object id, not the pairwise sub nor the address.
    assert links(school_accounts_hub) == [("microsoft", "0a1b2c3d-0000-4000-8000-000000000001", STAFF, STAFF)]


def test_microsoft_account_of_another_tenant_is_refused(client, school_accounts_hub, microsoft_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school", tenants=SCHOOL_TENANT)
    name_sources(school_accounts_hub, code="WL", domains="wl.test.school", tenants=OTHER_TENANT)
    microsoft_stand_in.set_accounts({STAFF: microsoft_account(STAFF, tid=OTHER_TENANT)})
    assert refused_as(sign_in_with(client, microsoft_stand_in, STAFF), "Microsoft")
    assert links(school_accounts_hub) == []
    assert any(f"tenant {OTHER_TENANT}): the account is not from a domain or tenant named" in what
               for what in audit(school_accounts_hub))


def test_a_tenant_vouches_only_for_its_own_schools_addresses(school_accounts_hub, microsoft_stand_in):
    """A school's tenant admin who sets a user's email claim to someone else's address (a
    governor's personal one, the coordinator's) gets no one's account."""
    name_sources(school_accounts_hub, domains="br.test.school", tenants=SCHOOL_TENANT)
    coordinator = PEOPLE["admin"][0]  # admin@test.school: no school's domain
    microsoft_stand_in.set_accounts({coordinator: microsoft_account(coordinator, name="Forged")})
    assert refused_as(sign_in_with(school_accounts_hub.test_client(), microsoft_stand_in, coordinator), "Microsoft")
    assert links(school_accounts_hub) == []


def test_an_object_id_from_another_tenant_is_another_account(school_accounts_hub, microsoft_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school", tenants=SCHOOL_TENANT)
    name_sources(school_accounts_hub, code="WL", domains="wl.test.school", tenants=OTHER_TENANT)
    microsoft_stand_in.set_accounts({STAFF: microsoft_account(STAFF)})
    assert sign_in_with(school_accounts_hub.test_client(), microsoft_stand_in, STAFF).status_code == 302
    same_id = microsoft_account("someone@wl.test.school", tid=OTHER_TENANT)  # the same oid, in another tenant
    microsoft_stand_in.set_accounts({"someone@wl.test.school": same_id})
    assert refused_as(sign_in_with(school_accounts_hub.test_client(), microsoft_stand_in, "someone@wl.test.school"),
                      "Microsoft")


def test_microsoft_is_refused_until_the_schools_tenant_is_named(client, school_accounts_hub, microsoft_stand_in):
    """Microsoft's email claim is only as good as the tenant that sets it: none named, none trusted."""
    microsoft_stand_in.set_accounts({STAFF: microsoft_account(STAFF)})
    assert refused_as(sign_in_with(client, microsoft_stand_in, STAFF), "Microsoft")
    # No tenant is named anywhere: the address was not even looked up, and no list is told.
    assert audit(school_accounts_hub) == audit_before_sign_ins(school_accounts_hub)
    name_sources(school_accounts_hub, code="WL", domains="wl.test.school", tenants=SCHOOL_TENANT)
    assert refused_as(sign_in_with(school_accounts_hub.test_client(), microsoft_stand_in, STAFF), "Microsoft")
    assert any("no Microsoft tenant is named for the person's school" in what for what in audit(school_accounts_hub))


def test_a_linked_account_is_known_by_its_id_whatever_its_email_claim_says_later(
        school_accounts_hub, microsoft_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school", tenants=SCHOOL_TENANT)
    microsoft_stand_in.set_accounts({STAFF: microsoft_account(STAFF)})
    assert sign_in_with(school_accounts_hub.test_client(), microsoft_stand_in, STAFF).status_code == 302

    # The same account, its address changed in the tenant: still the same person.
    renamed = microsoft_account("sam.renamed@br.test.school")
    microsoft_stand_in.set_accounts({"sam.renamed@br.test.school": renamed})
    again = school_accounts_hub.test_client()
    assert sign_in_with(again, microsoft_stand_in, "sam.renamed@br.test.school").status_code == 302
    assert "Signed in as staff (staff, Bank Road" in home_of(again)

    # Another account of the tenant that set its email claim to the linked person's address.
    impostor = microsoft_account(STAFF, oid="0a1b2c3d-0000-4000-8000-0000000000ff", name="Impostor")
    microsoft_stand_in.set_accounts({STAFF: impostor})
    third = school_accounts_hub.test_client()
    assert refused_as(sign_in_with(third, microsoft_stand_in, STAFF), "Microsoft")
    assert "Sign out" not in home_of(third)
    assert any("the person is linked to another account of this provider" in what
               for what in audit(school_accounts_hub))


# --- The exchange itself ----------------------------------------------------------------------

def test_a_replayed_callback_is_refused_even_with_a_copy_of_the_cookie(school_accounts_hub, google_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school")
    google_stand_in.set_accounts({STAFF: google_account(STAFF)})
    client = school_accounts_hub.test_client()
    callback = at_provider(google_stand_in, begin(client, "google"), STAFF)
    copy = school_accounts_hub.test_client()
    copy.set_cookie("session", client.get_cookie("session").value, domain="localhost")
    assert client.get(callback).status_code == 302  # the real one
    replay = copy.get(callback)
    assert replay.status_code == 400 and "This sign-in has expired" in replay.get_data(as_text=True)
    assert "Sign out" not in home_of(copy)


def test_a_callback_from_another_browser_is_refused(school_accounts_hub, google_stand_in):
    """Login CSRF: a callback carrying someone else's code and state, in a browser that began nothing."""
    name_sources(school_accounts_hub, domains="br.test.school")
    google_stand_in.set_accounts({STAFF: google_account(STAFF)})
    callback = at_provider(google_stand_in, begin(school_accounts_hub.test_client(), "google"), STAFF)
    victim = school_accounts_hub.test_client()
    assert victim.get(callback).status_code == 400
    assert "Sign out" not in home_of(victim)


def test_an_id_token_for_another_nonce_is_refused(client, school_accounts_hub, google_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school")
    google_stand_in.set_accounts({STAFF: google_account(STAFF)})
    authorize = urlsplit(begin(client, "google"))
    query = dict(parse_qsl(authorize.query))
    query["nonce"] = "a-nonce-the-hub-never-made"
    callback = at_provider(google_stand_in, urlunsplit(authorize._replace(query=urlencode(query))), STAFF)
    response = client.get(callback)
    assert response.status_code == 400 and "Google sign-in did not work" in response.get_data(as_text=True)
    assert "Sign out" not in home_of(client)


@pytest.mark.parametrize("spoilt", ["expired", "wrong-key", "other-audience"])
def test_an_expired_wrongly_signed_or_misaddressed_id_token_is_refused(client, school_accounts_hub, google_stand_in, spoilt):
    name_sources(school_accounts_hub, domains="br.test.school")
    google_stand_in.set_accounts({STAFF: google_account(STAFF)})
    google_stand_in.spoil_id_tokens(spoilt)
    response = sign_in_with(client, google_stand_in, STAFF)
    assert response.status_code == 400 and "Google sign-in did not work" in response.get_data(as_text=True)
    assert links(school_accounts_hub) == [] and "Sign out" not in home_of(client)


def test_the_provider_answering_access_denied_says_so(client, school_accounts_hub):
    authorize = dict(parse_qsl(urlsplit(begin(client, "google")).query))
    response = client.get("/sign-in/google/done?" + urlencode({"error": "access_denied", "state": authorize["state"]}))
    assert response.status_code == 400 and "Sign-in cancelled" in response.get_data(as_text=True)


# --- People -------------------------------------------------------------------------------------

def test_a_deactivated_person_is_refused_and_signed_out_at_their_next_request(school_accounts_hub, google_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school")
    google_stand_in.set_accounts({STAFF: google_account(STAFF)})
    signed_in = school_accounts_hub.test_client()
    assert sign_in_with(signed_in, google_stand_in, STAFF).status_code == 302
    coordinator, person_id = coordinator_and_staff(school_accounts_hub)
    coordinator.post(f"/people/{person_id}/deactivate", data={"csrf_token": csrf_token(coordinator, "/people/")})
    assert signed_in.get("/").status_code == 302  # to sign in: the session ended with the account
    assert refused_as(sign_in_with(school_accounts_hub.test_client(), google_stand_in, STAFF))
    assert any("Sign-in refused (staff@br.test.school, br.test.school): the person is deactivated" in what
               for what in audit(school_accounts_hub))


def test_a_school_that_requires_school_accounts_refuses_its_staffs_passwords(client, school_accounts_hub):
    name_sources(school_accounts_hub, domains="br.test.school", only=True)
    response = login(client, "br_staff")
    html = response.get_data(as_text=True)
    assert response.status_code == 403 and "signs its staff in with their school account" in html
    assert "Sign out" not in home_of(client)
    # A wrong password is told as any wrong password: nobody learns the school's rule from it.
    wrong = login(school_accounts_hub.test_client(), "br_staff", password="not the password at all")
    assert wrong.status_code == 422 and "signs its staff in" not in wrong.get_data(as_text=True)
    # Governors keep their passwords; so do other schools' staff.
    for who in ("br_governor", "wl_staff"):
        assert login(school_accounts_hub.test_client(), who).status_code == 302


def test_a_password_link_to_someone_who_must_use_a_school_account_offers_the_account_instead(
        client, school_accounts_hub):
    name_sources(school_accounts_hub, domains="br.test.school", only=True)
    with school_accounts_hub.test_request_context():
        person = db.session.scalar(select(User).where(User.email == STAFF))
        link = password_link(person)
        db.session.commit()
    html = client.get(urlsplit(link).path).get_data(as_text=True)
    assert "there is no password to choose" in html and "Sign in with Google" in html
    assert 'name="password"' not in html


def test_requiring_school_accounts_is_refused_before_a_domain_or_tenant_is_named(school_accounts_hub):
    coordinator = school_accounts_hub.test_client()
    login(coordinator, "admin")
    page = "/schools/BR/sign-in"
    response = coordinator.post(page, data={"csrf_token": csrf_token(coordinator, page), "email_domains": "",
                                            "microsoft_tenants": "", "school_accounts_only": "y"})
    assert response.status_code == 422 and "no one at the school could sign in" in response.get_data(as_text=True)


def test_coordinator_names_a_schools_domains_and_tenants_cleaned_and_checked(school_accounts_hub):
    coordinator = school_accounts_hub.test_client()
    login(coordinator, "admin")
    page = "/schools/BR/sign-in"
    bad = coordinator.post(page, data={"csrf_token": csrf_token(coordinator, page), "email_domains": "br.test.school",
                                       "microsoft_tenants": "Brookside Primary"})
    assert bad.status_code == 422 and "Not a tenant ID: brookside, primary" in bad.get_data(as_text=True)
    good = coordinator.post(page, data={"csrf_token": csrf_token(coordinator, page),
                                        "email_domains": " @BR.test.school,\nbr-staff.test.school ",
                                        "microsoft_tenants": SCHOOL_TENANT.upper(), "school_accounts_only": "y"},
                            follow_redirects=True)
    html = good.get_data(as_text=True)
    assert good.status_code == 200 and "br-staff.test.school br.test.school" in html
    with school_accounts_hub.app_context():
        row = db.session.scalar(select(SchoolSignIn))
        assert (row.email_domains, row.microsoft_tenants, row.school_accounts_only) == (
            "br-staff.test.school br.test.school", SCHOOL_TENANT, True)


def test_the_link_shows_on_the_persons_page_and_a_coordinator_can_remove_it(school_accounts_hub, google_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school")
    google_stand_in.set_accounts({STAFF: google_account(STAFF)})
    teacher = school_accounts_hub.test_client()
    assert sign_in_with(teacher, google_stand_in, STAFF).status_code == 302
    coordinator, person_id = coordinator_and_staff(school_accounts_hub)
    with school_accounts_hub.app_context():
        link_id = db.session.scalar(select(AccountLink.id))
    page = coordinator.get(f"/people/{person_id}").get_data(as_text=True)
    assert "Google account" in page and "Remove the link" in page
    response = coordinator.post(f"/people/{person_id}/links/{link_id}/remove",
                                data={"csrf_token": csrf_token(coordinator, f"/people/{person_id}")},
                                follow_redirects=True)
    assert "no longer linked, and they are signed out everywhere" in response.get_data(as_text=True)
    assert links(school_accounts_hub) == []
    assert any("Link to their Google account removed" in what for what in audit(school_accounts_hub))
    assert teacher.get("/").status_code == 302  # a wrong link does not stay signed in


def test_signing_out_signs_out_of_the_hub(client, school_accounts_hub, google_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school")
    google_stand_in.set_accounts({STAFF: google_account(STAFF)})
    sign_in_with(client, google_stand_in, STAFF)
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")}, follow_redirects=True)
    assert "You have signed out. This signs you out of the hub only: you are still signed in to your Google " \
        "account in this browser." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_microsofts_multi_tenant_issuer_is_read_as_the_tokens_own_tenant():
    common = "https://login.microsoftonline.com/{tenantid}/v2.0"
    assert school_accounts.issuer_matches(common, {"iss": f"https://login.microsoftonline.com/{SCHOOL_TENANT}/v2.0",
                                                   "tid": SCHOOL_TENANT})
    assert not school_accounts.issuer_matches(common, {"iss": f"https://login.microsoftonline.com/{OTHER_TENANT}/v2.0",
                                                       "tid": SCHOOL_TENANT})
    assert not school_accounts.issuer_matches("https://accounts.google.com", {"iss": "https://evil.example"})


def test_a_persons_refusal_is_seen_by_their_own_partnerships_coordinators_only(
        school_accounts_hub, google_stand_in, workbook_dir):
    add_other_partnership(school_accounts_hub, workbook_dir)
    name_sources(school_accounts_hub, domains="br.test.school")
    name_sources(school_accounts_hub, code="OK", domains="ok.test.school")
    google_stand_in.set_accounts({STAFF: google_account(STAFF, hd="elsewhere.example")})
    assert sign_in_with(school_accounts_hub.test_client(), google_stand_in, STAFF).status_code == 403
    ours, theirs = school_accounts_hub.test_client(), school_accounts_hub.test_client()
    login(ours, "admin")
    login(theirs, OTHER_PEOPLE["ok_admin"][0])
    assert "Sign-in refused (staff@br.test.school, elsewhere.example)" in ours.get("/people/changes").get_data(
        as_text=True)
    assert STAFF not in theirs.get("/people/changes").get_data(as_text=True)
    # Each coordinator names their own partnership's schools only.
    assert theirs.get("/schools/BR/sign-in").status_code == 404
    assert "Oakfield" in theirs.get("/schools/sign-in").get_data(as_text=True)
    assert "Bank Road" not in theirs.get("/schools/sign-in").get_data(as_text=True)

    # Oakfield's coordinator signs in with an account of a domain named for Oakfield's schools.
    coordinator = OTHER_PEOPLE["ok_admin"][0]
    google_stand_in.set_accounts({coordinator: google_account(coordinator, sub="g-ok", hd="ok.test.school")})
    assert sign_in_with(school_accounts_hub.test_client(), google_stand_in, coordinator).status_code == 302


def test_a_school_in_two_partnerships_is_named_by_each_for_its_own_people(
        school_accounts_hub, google_stand_in, workbook_dir):
    add_other_partnership(school_accounts_hub, workbook_dir, schools=(OAKFIELD, WILLIAM_LILLEY))
    theirs = school_accounts_hub.test_client()
    login(theirs, OTHER_PEOPLE["ok_admin"][0])
    page = "/schools/WL/sign-in"
    response = theirs.post(page, data={"csrf_token": csrf_token(theirs, page), "email_domains": "wl.test.school",
                                       "school_accounts_only": "y"})
    assert response.status_code == 303
    # William Lilley's staff were invited by the demo's partnership: its settings, not Oakfield's, are theirs.
    assert login(school_accounts_hub.test_client(), "wl_staff").status_code == 302
    ours = school_accounts_hub.test_client()
    login(ours, "admin")
    row = re.search(r"William Lilley.*?</tr>", ours.get("/schools/sign-in").get_data(as_text=True), re.S).group(0)
    assert "None named" in row and "wl.test.school" not in row


def test_an_offsite_next_is_not_followed(client, school_accounts_hub, google_stand_in):
    name_sources(school_accounts_hub, domains="br.test.school")
    google_stand_in.set_accounts({STAFF: google_account(STAFF)})
    callback = at_provider(google_stand_in, begin(client, "google", next_page="https://evil.example/"), STAFF)
    assert client.get(callback).headers["Location"] == "/"


def test_a_provider_that_does_not_answer_is_given_up_on(client, school_accounts_hub):
    """A provider that accepts the connection and never answers: the page says so, in time."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        school_accounts_hub.config.update(GOOGLE_ISSUER=f"http://127.0.0.1:{silent.getsockname()[1]}",
                                          OIDC_TIMEOUT_SECONDS=1)
        school_account_providers.init_app(school_accounts_hub)
        answers = []
        asking = threading.Thread(target=lambda: answers.append(client.get("/sign-in/google")))
        asking.start()
        asking.join(timeout=30)
        assert not asking.is_alive(), "the request waited on the provider"
    assert answers[0].status_code == 503
    assert "Google cannot be reached" in answers[0].get_data(as_text=True)


def test_a_sign_in_begun_is_read_once_and_not_after_it_expires(school_accounts_hub):
    states = school_account_providers.SignInStates()
    with school_accounts_hub.app_context():
        states.set("_state_google_abc", '{"data": {}}', 3600)
        assert states.get("_state_google_abc") == '{"data": {}}'
        assert states.get("_state_google_abc") is None  # taken by the first read
        states.set("_state_google_old", '{"data": {}}', 3600)
        db.session.execute(update(SignInState).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        assert states.get("_state_google_old") is None


@pytest.mark.parametrize("claims", [
    {"sub": {"nested": 1}, "email": STAFF, "email_verified": True},
    {"sub": "g-1", "email": ["a@b.example"], "email_verified": True},
    {"sub": "g-1" * 200, "email": STAFF, "email_verified": True},
    {"email": STAFF, "email_verified": True},
])
def test_claims_that_are_not_short_texts_identify_no_one(claims):
    with pytest.raises(school_accounts.Refused) as refusal:
        school_accounts.vouched("google", "https://accounts.google.com", claims)
    assert refusal.value.reason == "incomplete"



def test_an_invitation_to_a_school_that_requires_school_accounts_says_there_is_no_password(
        school_accounts_hub, inbox):
    name_sources(school_accounts_hub, domains="br.test.school", only=True)
    coordinator = school_accounts_hub.test_client()
    login(coordinator, "admin")
    coordinator.post("/people/invite", data={"email": "kim@br.test.school", "name": "Kim Keen", "role": "staff",
                                             "school": "BR", "csrf_token": csrf_token(coordinator, "/people/invite")})
    assert work_off(school_accounts_hub) == 1
    [(_, message)] = inbox.messages
    text = message.get_content()
    assert message["Subject"] == "You are invited to Partnership Hub"
    assert "there is no password to choose" in text and "Choose your password" not in text
    link = re.search(r"http://localhost(/password/\S+)", text).group(1)
    assert "Sign in with Google" in school_accounts_hub.test_client().get(link).get_data(as_text=True)


def test_requiring_school_accounts_signs_the_schools_staff_out_of_their_password_sessions(school_accounts_hub):
    teacher, governor = school_accounts_hub.test_client(), school_accounts_hub.test_client()
    login(teacher, "br_staff")
    login(governor, "br_governor")
    coordinator = school_accounts_hub.test_client()
    login(coordinator, "admin")
    page = "/schools/BR/sign-in"
    response = coordinator.post(page, data={"csrf_token": csrf_token(coordinator, page),
                                            "email_domains": "br.test.school", "school_accounts_only": "y"},
                                follow_redirects=True)
    assert "Its staff and head are signed out" in response.get_data(as_text=True)
    assert teacher.get("/").status_code == 302  # to sign in, with their school account now
    assert governor.get("/").status_code == 200  # governors keep their passwords and sessions
