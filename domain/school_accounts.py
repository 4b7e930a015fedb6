"""Signing in with a school's own account (Google Workspace, Microsoft 365, or another
OpenID provider): which claims are trusted, whom they name, and each school's rules.
Plain rules, no Flask: webapp/auth/school_accounts.py does the OpenID Connect exchange
(Authlib checks the ID token's signature, issuer, audience, expiry and nonce) and hands
the token's claims here.

Nobody is created by signing in. The first sign-in with an account links it to the
person whose address the provider vouches for; later ones match the link (issuer, the
account's stable id, and for Microsoft its tenant), never the address, which a Microsoft
tenant's users may change.

What vouches for an address, for a person of a school (as the partnership that invited
them names the school: SchoolSignIn):
- Google: ``email_verified``, and the account's Workspace (``hd``) is one of the school's
  domains; with none named, a Workspace account on its own domain, or a Gmail address.
- Microsoft: the account's tenant is the school's, and (at the first sign-in, when the
  address is what names the person) the address is at one of the school's domains: a
  tenant's users may set their own email claim, so a tenant vouches only for its school's
  own addresses, never for a governor's personal one nor a coordinator's elsewhere.
- Another provider: ``email_verified``, and the address at one of the school's domains
  when it names any.
A coordinator's account fits any one school of their partnership (domain and tenant of the
same school).
"""
import re
from dataclasses import dataclass

from sqlalchemy import select

from .models import AccountLink, SchoolSignIn, User, utcnow
from .people import record, who
from .scope import HUB_WIDE
from .users import find_user, normalise_email

GOOGLE, MICROSOFT, OTHER = "google", "microsoft", "oidc"
# Whose people may be made to use a school account: those who work in the school. Governors
# keep their passwords (many have no school account).
ACCOUNTS_ONLY_ROLES = frozenset({"staff", "head"})
# Google vouches for the addresses it hosts: its own, and a Workspace's (hd).
GOOGLE_OWN_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
LONGEST_CLAIM = 254  # an address's longest; ids and tenants are far shorter

_DOMAIN = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_TENANT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class Vouched:
    """What a provider said of an account, from a verified ID token."""

    provider: str  # GOOGLE, MICROSOFT or OTHER
    issuer: str
    subject: str  # Google's sub; Microsoft's oid (stable across apps in its tenant)
    email: str  # normalised; "" when the provider gave none
    email_verified: bool
    domain: str = ""  # Google's hd: the Workspace the account belongs to ("" for a personal one)
    tenant: str = ""  # Microsoft's tid

    @property
    def address_domain(self):
        return self.email.rpartition("@")[2]


class Refused(Exception):
    """A sign-in the hub will not accept; ``reason`` one of REASONS' keys."""

    def __init__(self, reason, person=None):
        super().__init__(reason)
        self.reason = reason
        self.person = person


# For the audit list, in words a coordinator acts on.
REASONS = {
    "incomplete": "the provider's answer lacked the account's identity",
    "no_address": "the provider gave no e-mail address",
    "unverified": "the provider does not vouch for the address",
    "not_ours": "the account's organisation is named for no school",
    "unknown": "no one in the hub has this address",
    "deactivated": "the person is deactivated",
    "wrong_source": "the account is not from a domain or tenant named for the person's school",
    "no_tenant": "no Microsoft tenant is named for the person's school",
    "linked_elsewhere": "the person is linked to another account of this provider",
}


@dataclass(frozen=True)
class Source:
    """Where one school's accounts come from, as a partnership names them."""

    domains: frozenset = frozenset()
    tenants: frozenset = frozenset()
    accounts_only: bool = False


def _claim(claims, name):
    """A claim as text ("" when absent); Refused("incomplete") for anything but a short text."""
    value = claims.get(name)
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > LONGEST_CLAIM:
        raise Refused("incomplete")
    return value.strip()


def vouched(provider, issuer, claims):
    """The account an ID token's claims describe; Refused("incomplete") without its ids."""
    email = normalise_email(_claim(claims, "email"))
    if provider == MICROSOFT:
        oid, tid = _claim(claims, "oid"), _claim(claims, "tid").lower()
        if not oid or not tid:
            raise Refused("incomplete")
        # Microsoft marks no address verified: only the school's own tenant vouches for it.
        return Vouched(provider, issuer, oid, email, False, tenant=tid)
    subject = _claim(claims, "sub")
    if not subject:
        raise Refused("incomplete")
    return Vouched(provider, issuer, subject, email, claims.get("email_verified") in (True, "true"),
                   domain=_claim(claims, "hd").lower())


def _words(text):
    return sorted({part for part in re.split(r"[\s,;]+", (text or "").lower()) if part})


def _source(row):
    return Source(frozenset(_words(row.email_domains)), frozenset(_words(row.microsoft_tenants)),
                  row.school_accounts_only)


def sources_of(session, person):
    """Where a person's accounts may come from, as the partnership that invited them names
    it: their school's; for a coordinator, each of their partnership's schools'; for an
    officer, none."""
    if person.partnership_id is None or (person.school_id is None and person.role != "admin"):
        return []
    statement = select(SchoolSignIn).where(SchoolSignIn.partnership_id == person.partnership_id)
    if person.school_id is not None:
        statement = statement.where(SchoolSignIn.school_id == person.school_id)
    return [_source(row) for row in session.scalars(statement.execution_options(**HUB_WIDE))]


def _fits(account, source, first):
    """Why this account is not of this school, or None. ``first``: no link yet, so the
    address is what names the person, and must be vouched for."""
    if account.provider == MICROSOFT:
        if not source.tenants:
            return "no_tenant"
        if account.tenant not in source.tenants or (first and account.address_domain not in source.domains):
            return "wrong_source"
        return None
    if source.domains:
        domain = account.domain if account.provider == GOOGLE else account.address_domain
        return None if domain in source.domains else "wrong_source"
    if first and account.provider == GOOGLE and not (account.domain == account.address_domain
                                                     or account.address_domain in GOOGLE_OWN_DOMAINS):
        # A Google account made on another address: Google checked it once, and vouches no more.
        return "unverified"
    return None


def _source_problem(account, sources, first):
    problems = [_fits(account, source, first) for source in sources or [Source()]]
    if None in problems:
        return None
    return next(reason for reason in ("wrong_source", "unverified", "no_tenant") if reason in problems)


def naming_partnerships(session, account):
    """The partnerships that name the account's organisation for one of their schools (its
    tenant; its Workspace; its address's domain): those whose coordinators hear of it."""
    rows = session.scalars(select(SchoolSignIn).execution_options(**HUB_WIDE))
    if account.provider == MICROSOFT:
        return sorted({row.partnership_id for row in rows if account.tenant in _words(row.microsoft_tenants)})
    domain = account.domain or account.address_domain
    return sorted({row.partnership_id for row in rows if domain and domain in _words(row.email_domains)})


def issuer_matches(expected, claims):
    """Is the token's ``iss`` the provider's issuer? Microsoft's multi-tenant endpoints name
    ``{tenantid}`` in theirs, which stands for the token's own ``tid``."""
    return claims.get("iss") == expected.replace("{tenantid}", str(claims.get("tid", "")))


def person_for(session, account, provider_name):
    """The person ``account`` signs in as: by its link, else (linking it now) by the address
    the provider vouches for. Refused(reason, person) otherwise. Nothing is committed."""
    same = [AccountLink.issuer == account.issuer, AccountLink.subject == account.subject]
    if account.provider == MICROSOFT:  # an oid is unique within its tenant (whatever the issuer says)
        same.append(AccountLink.tenant == account.tenant)
    link = session.scalar(select(AccountLink).where(*same).execution_options(**HUB_WIDE))
    if link is not None:
        person = session.get(User, link.user_id, execution_options=HUB_WIDE)
        _check(session, account, person, first=False)
        link.email, link.last_used_at = account.email, utcnow()
        return person
    if not account.email:
        raise Refused("no_address")
    if account.provider != MICROSOFT and not account.email_verified:
        raise Refused("unverified")
    if account.provider == MICROSOFT and not naming_partnerships(session, account):
        raise Refused("not_ours")  # before the address is looked up: no tenant learns who is here
    person = find_user(session, account.email)
    if person is None:
        raise Refused("unknown")
    _check(session, account, person, first=True)
    if session.scalar(select(AccountLink.id).where(AccountLink.user_id == person.id,
                                                   AccountLink.provider == account.provider)
                      .execution_options(**HUB_WIDE)):
        # Their address, claimed by a second account: one a tenant's user may have renamed.
        raise Refused("linked_elsewhere", person)
    session.add(AccountLink(user_id=person.id, provider=account.provider, issuer=account.issuer,
                            subject=account.subject, tenant=account.tenant or account.domain,
                            email=account.email, linked_at=utcnow(), last_used_at=utcnow()))
    where = account.tenant or account.domain
    record(session, "themselves", person, f"Linked their {provider_name} account ({account.email}) at their "
           f"first sign-in with it{f', {where}' if where else ''}")
    return person


def _check(session, account, person, first):
    if not person.active:
        raise Refused("deactivated", person)
    problem = _source_problem(account, sources_of(session, person), first)
    if problem:
        raise Refused(problem, person)


def refused(session, provider_name, account, account_words, refusal):
    """The refusal in the audit list: the person's coordinators see it; for an address no one
    has, the coordinators of each partnership that names the account's organisation (none
    does: the server's log only)."""
    by, reason = f"Sign-in with {provider_name}", REASONS[refusal.reason]
    if refusal.person is not None:
        record(session, by, refusal.person, f"Sign-in refused ({account_words}): {reason}")
        return
    for partnership_id in naming_partnerships(session, account) if account else ():
        record(session, by, account_words, f"Sign-in refused: {reason}", partnership_id=partnership_id)


def links_of(session, person):
    """The person's linked accounts, by provider."""
    return list(session.scalars(select(AccountLink).where(AccountLink.user_id == person.id)
                                .order_by(AccountLink.provider)))


def unlink(session, by, person, link_id, provider_names):
    """Remove a person's link, and sign them out everywhere (a wrong link must not stay
    signed in); their next sign-in with a school account links it afresh, by address."""
    link = session.scalar(select(AccountLink).where(AccountLink.id == link_id, AccountLink.user_id == person.id))
    if link is None:
        return False
    session.delete(link)
    person.end_sessions()
    record(session, by, person, f"Link to their {provider_names.get(link.provider, link.provider)} account "
           f"removed ({link.email or link.subject}); signed out everywhere")
    return True


def usable_providers(source, configured):
    """Of the ``configured`` providers, those a school's people can sign in with as ``source`` names it."""
    usable = {GOOGLE: bool(source.domains), MICROSOFT: bool(source.tenants and source.domains), OTHER: True}
    return [key for key in configured if usable.get(key)]


def providers_for(session, person, configured):
    """The configured providers this person's school names enough for (all, for someone
    whose school names nothing: they may try any)."""
    sources = sources_of(session, person)
    if not sources:
        return list(configured)
    return [key for key in configured if any(key in usable_providers(source, configured) for source in sources)]


def requires_school_account(session, person, configured):
    """Must this person sign in with a school account (no password)? Staff and heads of a
    school whose coordinator requires it, while a configured provider can let them in."""
    return person.role in ACCOUNTS_ONLY_ROLES and any(
        source.accounts_only and usable_providers(source, configured) for source in sources_of(session, person))


class SettingsError(ValueError):
    """A school's sign-in settings that cannot be saved, in words a coordinator acts on."""


def clean_domains(text):
    """E-mail domains typed in a box: lower case, "@" dropped, each checked."""
    domains = [word.lstrip("@") for word in _words(text)]
    wrong = [d for d in domains if not _DOMAIN.fullmatch(d)]
    if wrong:
        raise SettingsError(f"Not a domain: {', '.join(wrong)}. Give the part after the @, such as oakfield.sch.uk.")
    return " ".join(sorted(set(domains)))


def clean_tenants(text):
    """Microsoft tenant ids typed in a box: lower case, each checked."""
    tenants = [word.strip("{}") for word in _words(text)]
    wrong = [t for t in tenants if not _TENANT.fullmatch(t)]
    if wrong:
        raise SettingsError(f"Not a tenant ID: {', '.join(wrong)}. A tenant ID looks like "
                            "72f988bf-86f1-41af-91ab-2d7cd011db47 (Microsoft Entra admin centre, Overview).")
    return " ".join(sorted(set(tenants)))


def settings_of(session, partnership_id, school):
    """The partnership's row for the school, or a new one naming nothing (not added)."""
    return session.get(SchoolSignIn, (partnership_id, school.id)) or SchoolSignIn(
        partnership_id=partnership_id, school_id=school.id, email_domains="", microsoft_tenants="",
        school_accounts_only=False, changed_by="")


def save_settings(session, by, partnership_id, school, domains, tenants, accounts_only, configured):
    """Change how the partnership's people of a school sign in; ``configured``: the providers
    the hub is registered with. SettingsError if the settings cannot work. Requiring school
    accounts signs the school's staff and head out. Returns the row."""
    domains, tenants = clean_domains(domains), clean_tenants(tenants)
    source = Source(frozenset(domains.split()), frozenset(tenants.split()), bool(accounts_only))
    if tenants and not domains:
        raise SettingsError("Give the school's e-mail domains too: a Microsoft tenant vouches only for "
                            "addresses at the school's own domains.")
    if accounts_only and not usable_providers(source, configured):
        raise SettingsError("Name the school's e-mail domain (and, for Microsoft, its tenant) before requiring "
                            "school accounts: otherwise no one at the school could sign in.")
    row = settings_of(session, partnership_id, school)
    session.add(row)  # the school's first: nothing to do for one already there
    if source.accounts_only and not row.school_accounts_only:
        # Required from now: a password session open now ends too (they sign in again with their account).
        for person in session.scalars(select(User).where(
                User.partnership_id == partnership_id, User.school_id == school.id,
                User.role.in_(ACCOUNTS_ONLY_ROLES), User.active.is_(True))):
            person.end_sessions()
    row.email_domains, row.microsoft_tenants, row.school_accounts_only = domains, tenants, source.accounts_only
    row.changed_at, row.changed_by = utcnow(), who(by)[:300]
    return row
