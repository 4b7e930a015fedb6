"""Every link that leaves a page is built from the hub's configured address (HUB_URL),
never from the Host or X-Forwarded-Host a request names; a request for another host is
refused with a plain 400 before any view runs. Mail goes through a real SMTP server on
loopback (aiosmtpd)."""
import io
import re

import pytest
from flask.testing import FlaskClient
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import select
from werkzeug.routing import IntegerConverter
from werkzeug.test import EnvironBuilder

from config import TestConfig
from domain.models import CalendarEvent, User
from webapp import create_app
from webapp.background import work_off
from webapp.extensions import db

from ..conftest import PEOPLE, board_pack, csrf_token, login
from .test_summaries import confirm_review

HUB = "https://hub.test.school"
FORGED = "evil.example"
# Another name the hub answers to (HUB_OTHER_HOSTS): the requests here name it, so a link
# built from the request's own host, trusted or not, would show itself.
INTERNAL = "hub-internal.test"


@pytest.fixture
def behind_nginx(synced_app, inbox):
    """The hub as docs/deploy.md runs it: one proxy trusted, its address set, mail on."""
    config = type("BehindNginx", (TestConfig,), {"TRUSTED_PROXIES": 1})
    mail = {k: synced_app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_FROM")}
    app = create_app(config, SQLALCHEMY_DATABASE_URI=synced_app.config["SQLALCHEMY_DATABASE_URI"],
                     WORKBOOK_DIR=synced_app.config["WORKBOOK_DIR"], HUB_URL=HUB, HUB_OTHER_HOSTS=[INTERNAL],
                     **mail)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class ThroughNginx(FlaskClient):
    """A browser reaching the hub through nginx: every request names ``host`` and carries a
    forged X-Forwarded-Host (and, as a client may, X-Forwarded-Proto and -For of its own)."""

    def __init__(self, app, host, forwarded_host=FORGED):
        super().__init__(app, app.response_class, use_cookies=True)
        self.base = f"http://{host}"
        self.environ_base.update(HTTP_X_FORWARDED_HOST=forwarded_host, HTTP_X_FORWARDED_PROTO="https",
                                 HTTP_X_FORWARDED_FOR="203.0.113.9",
                                 HTTP_REFERER=f"https://{host}/")  # HTTPS: Flask-WTF wants a same-site referrer

    def open(self, *args, **kwargs):
        if not (args and isinstance(args[0], (EnvironBuilder, dict))):  # a redirect followed keeps its host
            kwargs.setdefault("base_url", self.base)
        return super().open(*args, **kwargs)


def client_for(app, host):
    return ThroughNginx(app, host)


def signed_in(app, who):
    client = client_for(app, INTERNAL)
    assert login(client, who).status_code == 302
    return client


def _event_id(app, sheet_id):
    with app.app_context():
        return db.session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == sheet_id)).id


def _person_id(app, who):
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == PEOPLE[who][0])).id


def _post(client, path, form_page, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, form_page), **data})


# Each way the hub sends or shows a link: (name, who acts (None: nobody signed in), what
# to do, and whether the links are in the mail or in the answer).
def forgot_password(app, client):
    return _post(client, "/forgot-password", "/forgot-password", email=PEOPLE["br_staff"][0])


def invite(app, client):
    return _post(client, "/people/invite", "/people/invite", email="kim@wl.test.school", name="Kim Keen",
                 role="staff", school="WL")


def new_password_link(app, client):
    person = _person_id(app, "wl_staff")
    return _post(client, f"/people/{person}/password-link", f"/people/{person}")


def remind(app, client):
    event = _event_id(app, "J-E005")  # hosted by BR, WL invited
    return _post(client, f"/calendar/events/{event}/remind", f"/calendar/events/{event}")


def feed_address(app, client):
    return _post(client, "/calendar/my-feed", "/calendar/my-feed")


def event_ics(app, client):
    return client.get(f"/calendar/events/{_event_id(app, 'J-E005')}.ics")


def feed_ics(app, client):
    shown = feed_address(app, client).get_data(as_text=True)
    return client.get(re.search(r'id="feed-url"[^>]*value="https://hub\.test\.school([^"]+)"', shown).group(1))


def live_pack(app, client):
    confirm_review(app, "BR")  # the live pack links to the pack as signed
    return board_pack(client, "/summary/BR.pdf")


MAILED = [("forgot_password", None, forgot_password), ("invite", "admin", invite),
          ("new_password_link", "admin", new_password_link), ("remind", "br_head", remind)]
SHOWN = [("feed_address", "br_staff", feed_address), ("event_ics", "br_staff", event_ics),
         ("feed_ics", "br_staff", feed_ics), ("board_pack", "br_governor", live_pack)]


def links_in(response):
    """Every absolute address an answer holds: text, an .ics's URL: lines, a PDF's link annotations."""
    if response.mimetype == "application/pdf":
        return [a.get_object()["/A"]["/URI"] for page in PdfReader(io.BytesIO(response.data)).pages
                for a in page.get("/Annots") or [] if "/URI" in a.get_object().get("/A", {})]
    text = response.get_data(as_text=True)
    if response.mimetype == "text/calendar":
        events = Calendar.from_ical(response.data).walk("VEVENT")
        return [str(e["url"]) for e in events] + [link for e in events
                                                 for link in re.findall(r"https?://\S+", str(e["description"]))]
    return re.findall(r"https?://[^\s\"<]+", text)


@pytest.mark.parametrize("name,who,action", MAILED, ids=[m[0] for m in MAILED])
def test_a_forged_forwarded_host_never_reaches_a_mailed_link(behind_nginx, inbox, name, who, action):
    client = signed_in(behind_nginx, who) if who else client_for(behind_nginx, INTERNAL)
    response = action(behind_nginx, client)
    assert response.status_code in (200, 302, 303), response.get_data(as_text=True)
    work_off(behind_nginx)  # the mail goes from a job, which has no request (nor Host) at all
    assert inbox.messages, "nothing was mailed"
    for _, message in inbox.messages:
        body = message.get_content()
        links = re.findall(r"https?://\S+", body)
        assert links and all(link.startswith(f"{HUB}/") for link in links), body
        assert FORGED not in body


@pytest.mark.parametrize("name,who,action", SHOWN, ids=[s[0] for s in SHOWN])
def test_a_forged_forwarded_host_never_reaches_a_link_shown_or_downloaded(behind_nginx, name, who, action):
    response = action(behind_nginx, signed_in(behind_nginx, who))
    assert response.status_code == 200
    links = [link for link in links_in(response) if "w3.org" not in link]  # an SVG's namespace is no link
    assert links and all(link.startswith(f"{HUB}/") for link in links), links
    assert FORGED.encode() not in response.data


def test_a_link_shown_to_pass_on_without_mail_is_the_hubs(behind_nginx, inbox):
    behind_nginx.config["MAIL_SERVER"] = None  # no mail: the coordinator is shown the link
    page = invite(behind_nginx, signed_in(behind_nginx, "admin")).get_data(as_text=True)
    link = re.search(r'id="password-link"[^>]*value="([^"]+)"', page).group(1)
    assert link.startswith(f"{HUB}/password/") and FORGED not in page and not inbox.messages


def test_every_route_refuses_a_host_that_is_not_the_hubs_with_a_plain_400(synced_app, inbox):
    """Every rule of the URL map, every method, with a signed-in person's own session and a
    valid CSRF token: refused before any view runs, nothing mailed, and never a 500 (the
    error page must not build a URL for the host it has just refused)."""
    client = synced_app.test_client()
    login(client, "admin")
    token = csrf_token(client, "/people/invite")
    session = client.get_cookie("session").value
    forged_hosts = (FORGED, f"{FORGED}:5000", "localhost.evil.example")
    for host in forged_hosts:
        client.set_cookie("session", session, domain=host.split(":")[0])
    form = {"csrf_token": token, "email": PEOPLE["br_staff"][0], "name": "Kim", "role": "staff", "school": "WL"}
    tried = 0
    for rule in synced_app.url_map.iter_rules():
        values = {arg: 1 if isinstance(rule._converters[arg], IntegerConverter) else "BR" for arg in rule.arguments}
        values.update({"fmt": "csv"} if "fmt" in values else {})
        path = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for host in forged_hosts:
                response = client.open(path, method=method, headers={"Host": host},
                                       data=form if method == "POST" else None)
                assert response.status_code == 400, (method, path, host, response.status_code)
                assert response.get_data(as_text=True) == "This address is not the Partnership Hub's.\n"
                tried += 1
    work_off(synced_app)
    assert tried > 200 and not inbox.messages
    # The same session, token and form at the hub's own address go through: the host alone was refused.
    assert client.post("/forgot-password", data=form).status_code == 200
    work_off(synced_app)
    assert len(inbox.messages) == 1
