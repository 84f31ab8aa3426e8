"""The home page's report slot: the latest finished report of the person's brands.

`latest_report_for` is the one place the home page asks; None (the slot is not drawn) until a
report of theirs is done.
"""

from agency.models import Membership
from portal.selectors import report_archive
from reports.models import ReportRun


def latest_report_for(membership: Membership, *, brand_id=None) -> ReportRun | None:
    return report_archive(membership, brand_id=brand_id).first()
