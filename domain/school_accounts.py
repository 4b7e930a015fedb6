"""Signing in with a school's own account (Google Workspace, Microsoft 365, or another
OpenID provider): which claims are trusted, whom they name, and each school's rules.
Plain rules, no Flask: webapp/auth/school_accounts.py does the OpenID Connect exchange
(Authlib checks the ID token's signature, issuer, audience, expiry and nonce) and hands
the token's claims here.

Nobody is created by signing in. The first sign-in with an account links it to the
person whose address the provider vouches for; later ones match the link (issuer and the
account's stable id), never the address, which a Microsoft tenant's users may change.
"""
import re
from dataclasses import dataclass

from sqlalchemy import select

from .models import AccountLink, Membership, PersonChange, SchoolSignIn, User, utcnow
from .people import record, who
from .scope import HUB_WIDE
from .users import find_user, normalise_email

GOOGLE, MICROSOFT, OTHER = "google", "microsoft", "oidc"
# Whose people may be made to use a school account: those who work in the school. Governors
# keep their passwords (many have no school account).
ACCOUNTS_ONLY_ROLES = frozenset({"staff", "head"})
# Google vouches for the addresses it hosts: its own, and a Workspace's (hd).
GOOGLE_OWN_DOMAINS = frozenset({"gmail.com", "googlemail.com"})

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
    "unverified": "the provider has not verified the address",
    "unknown": "no one in the hub has this address",
    "deactivated": "the person is deactivated",
    "wrong_source": "the account is not from a domain or tenant named for the person's school",
    "no_tenant": "no Microsoft tenant is named for the person's school",
    "linked_elsewhere": "the person is linked to another account of this provider",
}


@dataclass(frozen=True)
class Sources:
    """Where a person's school accounts may come from."""

    domains: frozenset = frozenset()  # Google Workspace domains
    tenants: frozenset = frozenset()  # Microsoft tenant ids
    accounts_only: bool = False


def _flag(value):
    return value is True or str(value).lower() == "true"


def vouched(provider, issuer, claims):
    """The account an ID token's claims describe; Refused("incomplete") without its ids."""
    email = normalise_email(claims.get("email"))
    if provider == MICROSOFT:
        oid, tid = str(claims.get("oid") or ""), str(claims.get("tid") or "").lower()
        if not oid or not tid:
            raise Refused("incomplete")
        # Microsoft marks no address verified: only a tenant the school names vouches for it.
        return Vouched(provider, issuer, oid, email, False, tenant=tid)
    subject = str(claims.get("sub") or "")
    if not subject:
        raise Refused("incomplete")
    return Vouched(provider, issuer, subject, email, _flag(claims.get("email_verified")),
                   domain=str(claims.get("hd") or "").lower())


def _words(text):
    return sorted({part for part in re.split(r"[\s,;]+", (text or "").lower()) if part})


def sources_of(session, user):
    """The domains and tenants a person's accounts may come from: their school's; for a
    coordinator, those of every school of their partnership; for an officer, none."""
    if user.school_id is not None:
        rows = [session.get(SchoolSignIn, user.school_id, execution_options=HUB_WIDE)]
    elif user.role == "admin" and user.partnership_id is not None:
        schools = select(Membership.school_id).where(Membership.partnership_id == user.partnership_id,
                                                     Membership.archived_at.is_(None))
        rows = session.scalars(select(SchoolSignIn).where(SchoolSignIn.school_id.in_(schools))
                               .execution_options(**HUB_WIDE)).all()
    else:
        rows = []
    rows = [row for row in rows if row is not None]
    return Sources(frozenset(d for row in rows for d in _words(row.google_domains)),
                   frozenset(t for row in rows for t in _words(row.microsoft_tenants)),
                   accounts_only=user.school_id is not None and any(row.school_accounts_only for row in rows))


def _source_problem(account, sources, first):
    """Why this account may not be this person's (their sources), or None. ``first``: no
    link yet, so the address is what names the person, and must be vouched for."""
    if account.provider == MICROSOFT:
        if not sources.tenants:
            return "no_tenant"
        return None if account.tenant in sources.tenants else "wrong_source"
    domain = account.domain if account.provider == GOOGLE else account.address_domain
    if sources.domains:
        return None if domain in sources.domains else "wrong_source"
    if first and account.provider == GOOGLE and not (account.domain == account.address_domain
                                                     or account.address_domain in GOOGLE_OWN_DOMAINS):
        # A Google account made on another address: Google checked it once, and vouches no more.
        return "unverified"
    return None


PROVIDER_NAMES = {GOOGLE: "Google", MICROSOFT: "Microsoft", OTHER: "school account"}


def issuer_matches(expected, claims):
    """Is the token's ``iss`` the provider's issuer? Microsoft's multi-tenant endpoints name
    ``{tenantid}`` in theirs, which stands for the token's own ``tid``."""
    return claims.get("iss") == expected.replace("{tenantid}", str(claims.get("tid", "")))


def person_for(session, account):
    """The person ``account`` signs in as: by its link, else (linking it now) by the address
    the provider vouches for. Refused(reason, person) otherwise. Nothing is committed."""
    link = session.scalar(select(AccountLink).where(AccountLink.issuer == account.issuer,
                                                    AccountLink.subject == account.subject)
                          .execution_options(**HUB_WIDE))
    if link is not None:
        person = session.get(User, link.user_id, execution_options=HUB_WIDE)
        _check(session, account, person, first=False)
        link.email, link.last_used_at = account.email[:254], utcnow()
        return person
    if not account.email:
        raise Refused("no_address")
    if account.provider != MICROSOFT and not account.email_verified:
        raise Refused("unverified", find_user(session, account.email))
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
                            email=account.email[:254], linked_at=utcnow(), last_used_at=utcnow()))
    name = PROVIDER_NAMES[account.provider]
    record(session, "themselves", person, f"Linked their {name} account ({account.email}) at their first sign-in "
           f"with it{f', {account.tenant or account.domain}' if account.tenant or account.domain else ''}")
    return person


def _check(session, account, person, first):
    if not person.active:
        raise Refused("deactivated", person)
    problem = _source_problem(account, sources_of(session, person), first)
    if problem:
        raise Refused(problem, person)


def refused(session, provider_name, account_words, refusal):
    """The refusal in the audit list: the person's coordinators see it (or, for an address no
    one has, every coordinator)."""
    by, reason = f"Sign-in with {provider_name}", REASONS[refusal.reason]
    if refusal.person is not None:
        record(session, by, refusal.person, f"Sign-in refused ({account_words}): {reason}")
    else:
        session.add(PersonChange(at=utcnow(), by=by, person_id=None, person=account_words[:300],
                                 what=f"Sign-in refused: {reason}"))


def links_of(session, person):
    """The person's linked accounts, by provider."""
    return list(session.scalars(select(AccountLink).where(AccountLink.user_id == person.id)
                                .order_by(AccountLink.provider)))


def unlink(session, by, person, link_id):
    """Remove a person's link (their next sign-in with an account links it afresh, by address)."""
    link = session.scalar(select(AccountLink).where(AccountLink.id == link_id, AccountLink.user_id == person.id))
    if link is None:
        return False
    session.delete(link)
    record(session, by, person,
           f"Link to their {PROVIDER_NAMES[link.provider]} account removed ({link.email or link.subject})")
    return True


def requires_school_account(session, person):
    """Must this person sign in with a school account (no password)? Staff and heads of a
    school whose coordinator requires it."""
    return person.role in ACCOUNTS_ONLY_ROLES and sources_of(session, person).accounts_only


class SettingsError(ValueError):
    """A school's sign-in settings that cannot be saved, in words a coordinator acts on."""


def clean_domains(text):
    """Google Workspace domains typed in a box: lower case, "@" dropped, each checked."""
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


def settings_of(session, school):
    """The school's row, or a new one naming nothing (not added)."""
    return session.get(SchoolSignIn, school.id) or SchoolSignIn(school_id=school.id, google_domains="",
                                                                 microsoft_tenants="", school_accounts_only=False,
                                                                 changed_by="")


def save_settings(session, by, school, domains, tenants, accounts_only, providers):
    """Change a school's sign-in settings; ``providers``: those the hub has configured.
    SettingsError if they cannot work. Returns the row."""
    domains, tenants = clean_domains(domains), clean_tenants(tenants)
    usable = (GOOGLE in providers and domains) or (MICROSOFT in providers and tenants) or OTHER in providers
    if accounts_only and not usable:
        raise SettingsError("Name the domain or tenant your school's accounts come from before requiring them: "
                            "otherwise no one at the school could sign in.")
    row = session.get(SchoolSignIn, school.id)
    if row is None:
        row = SchoolSignIn(school_id=school.id)
        session.add(row)
    row.google_domains, row.microsoft_tenants, row.school_accounts_only = domains, tenants, bool(accounts_only)
    row.changed_at, row.changed_by = utcnow(), who(by)[:300]
    return row
