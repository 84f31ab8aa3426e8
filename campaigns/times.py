"""Wall-clock times in a brand's zone: into UTC for storage, back for display and exports."""

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.datetimes import check_instant


def to_utc(local: dt.datetime, tz_name: str) -> dt.datetime:
    """A wall-clock time in the brand's zone, in UTC. Refuses a time the clock skips (spring
    forward, Morocco's return to UTC+1 after Ramadan); an ambiguous time (clocks going back)
    is the first of the two occurrences."""
    tz = zoneinfo.ZoneInfo(tz_name)
    if local.tzinfo is not None:
        return local.astimezone(dt.UTC)
    aware = local.replace(tzinfo=tz, fold=0)
    back = aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    if back != local:
        raise ValidationError(
            {
                "scheduled_at": _(
                    "%(time)s does not exist in %(zone)s: the clocks change that night. "
                    "Choose another time."
                )
                % {"time": local.strftime("%Y-%m-%d %H:%M"), "zone": tz_name}
            }
        )
    return aware.astimezone(dt.UTC)


def check_schedule(when: dt.datetime | None) -> None:
    """A publishing time every input path accepts: in the supported range, and in the future."""
    # The one range every input path shares: a post dated 9999 would break every page
    # that shows it on its brand's wall clock.
    check_instant(when, field="scheduled_at")
    if when is not None and when <= timezone.now():
        raise ValidationError({"scheduled_at": _("Choose a time in the future.")})


def local_time_str(value: dt.datetime | None, tz_name: str) -> str:
    """The time on the zone's wall clock, to the minute (the CSV export's column)."""
    if value is None:
        return ""
    return value.astimezone(zoneinfo.ZoneInfo(tz_name)).strftime("%Y-%m-%d %H:%M")


def today_in(tz: zoneinfo.ZoneInfo) -> dt.date:
    return dt.datetime.now(tz).date()
