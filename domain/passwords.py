"""Password hashing as OWASP ASVS 5.0 asks: argon2id (RFC 9106 parameters)."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes; well above
# ASVS's minimum for argon2id (19 MiB, 2 passes).
COST = dict(time_cost=3, memory_cost=64 * 1024, parallelism=4)
_hasher = PasswordHasher(**COST)
MIN_LENGTH = 12
MAX_LENGTH = 256

# Verified when the e-mail matches no user, so that a wrong address takes as long
# as a wrong password and sign-in time does not tell who has an account.
_DUMMY_HASH = _hasher.hash("no such user: a password nobody has")


def hash_password(password):
    """An argon2id hash of a new password."""
    return _hasher.hash(password)


def verify_password(stored_hash, password):
    """True if ``password`` matches; never raises for a bad or missing hash."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash):
    """Was this hash made with weaker parameters than today's (rehash at the next sign-in)?"""
    return _hasher.check_needs_rehash(stored_hash)


def password_problem(password):
    """Why a new password is not acceptable, or None (ASVS: length, not composition)."""
    if len(password) < MIN_LENGTH:
        return f"The password must be at least {MIN_LENGTH} characters long."
    if len(password) > MAX_LENGTH:
        return f"The password must be at most {MAX_LENGTH} characters long."
    return None
