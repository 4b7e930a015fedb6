"""Signing in with a school account in Chromium: the hub's button, the provider's own sign-in
page (oidc-provider on loopback, speaking as Microsoft), back to the person's home; then a
coordinator names the school's tenant, and signing out says so."""
import pytest
from playwright.sync_api import expect

from tests.oidc import SCHOOL_TENANT

from ..conftest import PASSWORD, PEOPLE
from ..web.test_school_accounts import microsoft_account
from .conftest import new_page, sign_in

pytestmark = pytest.mark.browser

STAFF = PEOPLE["br_staff"][0]


@pytest.fixture
def hub_page(browser, school_accounts_hub, live_server):
    page = new_page(browser, live_server)
    yield page
    page.context.close()


def test_a_coordinator_names_the_tenant_and_staff_sign_in_with_microsoft(hub_page, browser, microsoft_stand_in):
    coordinator = hub_page
    sign_in(coordinator, PEOPLE["admin"][0], PASSWORD)
    coordinator.goto(coordinator.base + "/schools/")
    coordinator.get_by_role("link", name="How schools sign in").click()
    coordinator.get_by_role("link", name="Change Bank Road Infant and Nursery School").click()
    coordinator.get_by_label("The school's e-mail domains").fill("br.test.school")
    coordinator.get_by_label("Microsoft 365 tenant IDs").fill(SCHOOL_TENANT)
    coordinator.get_by_role("button", name="Save").click()
    expect(coordinator.locator("body")).to_contain_text("Saved how Bank Road Infant and Nursery School")
    expect(coordinator.get_by_role("row", name="Bank Road Infant and Nursery School")).to_contain_text(SCHOOL_TENANT)

    microsoft_stand_in.set_accounts({STAFF: microsoft_account(STAFF)})
    teacher = new_page(browser, hub_page.base)
    teacher.goto(teacher.base + "/calendar")  # asked to sign in first; comes back here after
    teacher.get_by_role("button", name="Sign in with Microsoft").click()
    expect(teacher.get_by_role("heading", name="Sign in to your Microsoft account")).to_be_visible()
    assert teacher.url.startswith(microsoft_stand_in.issuer)  # the provider's own page, not the hub's
    teacher.get_by_label("Email").fill(STAFF)
    teacher.keyboard.press("Enter")
    teacher.wait_for_url(teacher.base + "/calendar")
    expect(teacher.locator("body")).to_contain_text("Signed in with your Microsoft account.")

    teacher.get_by_role("button", name="Sign out").click()
    expect(teacher.locator("body")).to_contain_text("You have signed out. This signs you out of the hub only")
    teacher.goto(teacher.base + "/")
    expect(teacher.get_by_role("heading", name="Sign in")).to_be_visible()
    assert teacher.errors == [] and coordinator.errors == []
    teacher.context.close()
