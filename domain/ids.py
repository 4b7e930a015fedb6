"""Row IDs the app gives: BR-A007 (school BR, action row), J-A001 (joint plan)…

IDs are never reused: a new number is one above every ID the table has had.
"""
import re

from .models import JOINT


def id_prefix(workbook_code, table):
    """'BR-A' for a school's action plan, 'J-I' for the joint plan's impact log."""
    return f"{'J' if workbook_code == JOINT else workbook_code}-{table.id_letter}"


def next_number(prefix, known_ids):
    """One above the highest number any of ``known_ids`` carries after ``prefix``."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)$", re.IGNORECASE)
    return 1 + max((int(m.group(1)) for i in known_ids if i and (m := pattern.match(i))), default=0)


def format_id(prefix, number):
    """'BR-A' and 7 -> 'BR-A007'."""
    return f"{prefix}{number:03d}"
