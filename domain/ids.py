"""Row IDs the app gives: BR-A007 (school BR, action row), J-A001 (joint plan)…

IDs are never reused: a new number is one above every ID the table has had, in every
school year of the plan (a plan's years may share one spreadsheet, and "BR-A003" should
name one row however many years are looked back on).
"""
import re

from sqlalchemy import select

from .models import JOINT, Workbook

SUPPORT = "support-"  # a supporter's workbook's code begins so (support-3): no school's code is in lower case


def id_prefix(workbook_code, table):
    """'BR-A' for a school's action plan, 'J-I' for the joint plan's impact log, 'D-V' for
    a supporter's development visits."""
    short = "J" if workbook_code == JOINT else "D" if workbook_code.startswith(SUPPORT) else workbook_code
    return f"{short}-{table.id_letter}"


def next_number(prefix, known_ids):
    """One above the highest number any of ``known_ids`` carries after ``prefix``."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)$", re.IGNORECASE)
    return 1 + max((int(m.group(1)) for i in known_ids if i and (m := pattern.match(i))), default=0)


def format_id(prefix, number):
    """'BR-A' and 7 -> 'BR-A007'."""
    return f"{prefix}{number:03d}"


def plan_ids(session, model, code):
    """Every ID a table of the plan has had, in every year (archived rows too)."""
    return set(session.scalars(select(model.sheet_id).join(Workbook, Workbook.id == model.workbook_id)
                               .where(Workbook.code == code)))
