"""How the code is laid out, where a reader relies on it: roles asked in one place,
blueprints that never reach into each other's routes, a domain free of Flask."""
import re
from pathlib import Path

from domain.models import ROLES

ROOT = Path(__file__).resolve().parents[2]


def sources(*globs):
    for pattern in globs:
        yield from ROOT.glob(pattern)


def test_blueprints_never_import_each_others_routes():
    for path in sources("webapp/**/routes.py"):
        imports = re.findall(r"from \.\.(\w+)\.routes import", path.read_text())
        assert not imports, f"{path.relative_to(ROOT)} imports the routes of {imports}"


def test_roles_are_asked_through_domain_access_not_listed_in_routes_or_templates():
    literal_roles = re.compile(r"role\s*(?:==|!=|in|not in)\s*[\(\[\{'\"]|SYNC_ROLES")
    for path in sources("webapp/**/*.py", "templates/**/*.html"):
        text = path.read_text()
        assert not literal_roles.search(text), f"{path.relative_to(ROOT)} lists roles: use domain/access.py"


def test_the_domain_knows_nothing_of_flask():
    for path in sources("domain/*.py"):
        assert not re.search(r"^\s*(from|import) (flask|werkzeug|wtforms)", path.read_text(), re.M), path.name


def test_the_cli_offers_the_roles_the_models_know():
    from click.testing import CliRunner

    from webapp.commands import users_cli

    help_text = CliRunner().invoke(users_cli, ["add", "--help"]).output
    assert "[" + "|".join(ROLES) + "]" in help_text


def test_no_link_is_built_from_the_requests_host():
    """A full address comes from hub_url (HUB_URL, webapp/safe_urls.py), never from
    url_for(..., _external=True) or request.host_url, which take the request's Host."""
    request_host = re.compile(r"\b_external\s*=|\b_scheme\s*=|\.host_url\b|\.url_root\b|\.base_url\b"
                              r"|request\.url\b|request\.host\b")
    for path in sources("webapp/**/*.py", "domain/**/*.py", "sync/**/*.py", "templates/**/*.html",
                        "templates/**/*.txt"):
        if path.name == "safe_urls.py":
            continue  # where the rule lives: hub_url, and the referrer compared with the (trusted) host
        found = [line.strip() for line in path.read_text().splitlines() if request_host.search(line)]
        assert not found, f"{path.relative_to(ROOT)} builds a link from the request's host: {found}"
