"""Date formats of the page anatomy, fixed to English.

``strftime("%a")`` follows the machine's locale, so a build on a German
laptop would say "Mi" where the design says "Wed". These names never change.
"""

from __future__ import annotations

import datetime

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


def day_header(day: datetime.date) -> str:
    """``"Wed, 13 Aug 2014"``, the ``%a, %d %b %Y`` of the C locale."""
    return f"{DAYS[day.weekday()]}, {day.day:02d} {MONTHS[day.month - 1][:3]} {day.year}"


def time_of_day(moment: datetime.datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def period_title(period: tuple[int, ...]) -> str:
    """``(2014,)`` -> "2014", ``(2014, 8)`` -> "August 2014", a day -> its header."""
    if len(period) == 1:
        return str(period[0])
    if len(period) == 2:
        return f"{MONTHS[period[1] - 1]} {period[0]}"
    return day_header(datetime.date(*period))
