"""The home page's report slot: the latest report of the person's brands, once reports exist.

`latest_report_for` is the one place the home page asks; it answers None (the slot is not
drawn) until the reports app offers finished runs, and then their newest one.
"""

from agency.models import Membership


def latest_report_for(membership: Membership, *, brand_id=None):
    """The newest finished report of the person's brands (None: no report yet)."""
    return None
