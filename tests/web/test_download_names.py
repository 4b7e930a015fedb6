"""Every file the hub sends is named from safe characters only, whatever a sheet's cell
held: an event ID stored before IDs were checked at the sync (or written into the
database by hand) still cannot end the header's file name early, or break it."""
import re

from sqlalchemy import select, update

from domain.models import CalendarEvent
from webapp.downloads import safe_filename
from webapp.extensions import db

from ..conftest import board_pack, login
from .test_summaries import confirm_review

SAFE = re.compile(r'attachment; filename="[A-Za-z0-9][A-Za-z0-9._-]*\.(csv|xlsx|ics|pdf)"')
HOSTILE = ["J-E030\"; filename*=UTF-8''evil.html; x=\"", "J-E031\r\nX-Injected: 1", "J-E032\\..\\..\\boot.ini",
           "ÉVÉNEMENT 12", "\u202egnp.ics", "...", ""]


def test_a_file_name_keeps_only_what_is_safe_in_a_header_and_on_every_disk():
    names = [safe_filename(f"event-{text}", "ics") for text in HOSTILE]
    assert names[0] == "event-J-E030-filename-UTF-8-evil.html-x.ics"  # one name, ending .ics: no second filename
    assert names[1] == "event-J-E031-X-Injected-1.ics"
    assert names[2] == "event-J-E032-..-..-boot.ini.ics"
    assert names[3] == "event-EVENEMENT-12.ics" and names[4] == "event-gnp.ics.ics"  # no right-to-left trick
    assert safe_filename("...", "csv") == "download.csv" and safe_filename("", "pdf") == "download.pdf"
    assert all(SAFE.fullmatch(f'attachment; filename="{name}"') for name in names)


def test_every_download_is_named_safely_even_for_a_hostile_id_already_stored(synced_app, client):
    confirm_review(synced_app, "BR")  # so the signed pack is a download too
    login(client, "admin")
    with synced_app.app_context():
        event = db.session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == "J-E005"))
        event_id = event.id
    seen = []
    for hostile in HOSTILE[:3]:
        with synced_app.app_context():
            db.session.execute(update(CalendarEvent).where(CalendarEvent.id == event_id).values(sheet_id=hostile))
            db.session.commit()
        response = client.get(f"/calendar/events/{event_id}.ics")
        assert response.status_code == 200, hostile
        seen.append(response.headers["Content-Disposition"])
    downloads = [rule for rule in synced_app.url_map.iter_rules()
                 if "fmt" in rule.arguments or rule.endpoint == "summaries.pack"]
    for rule in downloads:
        for code in ("BR", "joint") if "code" in rule.arguments else (None,):
            for fmt in ("csv", "xlsx") if "fmt" in rule.arguments else (None,):
                values = {k: v for k, v in (("code", code), ("fmt", fmt)) if v}
                response = board_pack(client, rule.build(values, append_unknown=False)[1])
                if response.status_code == 404:  # the joint plan has no impact log or priorities
                    continue
                assert response.status_code == 200, rule.rule
                seen.append(response.headers["Content-Disposition"])
    assert len(seen) > 10
    for header in seen:
        assert SAFE.fullmatch(header), header
    assert seen[0] == 'attachment; filename="event-J-E030-filename-UTF-8-evil.html-x.ics"'
