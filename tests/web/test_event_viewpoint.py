"""An event's page speaks from where the viewer stands: the host's people host it (they are
neither uninvited nor awaited), a guest gets the visitor's checklist, and an event gone by
takes no reply but offers its impact form."""
import html
import re

from domain.event_cells import ALL_SCHOOLS
from tests.conftest import add_event, csrf_token, signed_in


def page_text(client, path):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", client.get(path).get_data(as_text=True))).split())


def test_the_host_schools_people_host_their_event_even_when_every_school_is_invited(quiet_calendar):
    event_id = add_event(quiet_calendar, "T-E701", 6, host="WL", invited=(ALL_SCHOOLS,), category="visit",
                         type_="Subject review visit", focus="Reading")
    path = f"/calendar/events/{event_id}"
    host = page_text(signed_in(quiet_calendar, "wl_staff"), path)
    assert "Your school hosts this event: the invited schools reply to it." in host
    assert "not invited" not in host and "I'm coming" not in host
    assert "Hosting: what to prepare" in host and "your checklist" not in host

    guest = page_text(signed_in(quiet_calendar, "br_staff"), path)
    assert "I'm coming" in guest, guest
    assert re.search(r"Visiting William Lilley[^:]*: your checklist", guest)
    assert "Hosting: what to prepare" not in guest

    manager_client = signed_in(quiet_calendar, "wl_head")
    page = manager_client.get(path).get_data(as_text=True)
    invite_choices = page.split('id="invite-heading"', 1)[1]
    assert 'value="BR"' not in invite_choices and 'value="WL"' not in invite_choices  # all invited; the host is no guest
    manager = page_text(manager_client, path)
    answers = manager.split("Who is coming", 1)[1].split("Invite more", 1)[0]
    assert "staff (BR)" in answers.split("Not answered yet", 1)[1]
    assert "(WL" not in answers  # the host's own people are not awaited


def test_an_event_gone_by_takes_no_reply_and_offers_its_impact_form_and_the_list_marks_it(quiet_calendar):
    event_id = add_event(quiet_calendar, "T-E702", -1, host="WL", invited=("BR",), category="visit",
                         type_="Quality assurance visit: behaviour", focus="Yesterday's visit")
    client = signed_in(quiet_calendar, "br_staff")
    path = f"/calendar/events/{event_id}"
    text = page_text(client, path)
    assert "This event has taken place: replies are closed." in text and "I'm coming" not in text
    assert "Complete the impact form" in text
    refused = client.post(f"{path}/reply", data={"answer": "Confirmed", "csrf_token": csrf_token(client, path)})
    assert refused.status_code == 403

    host_head = signed_in(quiet_calendar, "wl_head")  # its manager: no reminder or invitation after the day
    assert "Remind the" not in page_text(host_head, path) and "Invite more" not in page_text(host_head, path)
    assert host_head.post(f"{path}/remind", data={"csrf_token": csrf_token(host_head, path)}).status_code == 403
    governor = page_text(signed_in(quiet_calendar, "br_governor"), path)
    assert "Complete the impact form" not in governor  # governors read forms, they do not write them

    listing = client.get("/calendar").get_data(as_text=True)
    line = re.search(rf'<li class="event-line[^"]*" id="event-{event_id}">.*?</li>', listing, re.S)
    if line:  # in this term or the next (yesterday may be last term on the term's first day)
        assert "past" in line.group(0).split('"')[1] and ">Past<" in line.group(0)
