"""Periodic entries' schedules: a 5-field crontab, read on beat's clock (Europe/Oslo).

Its own module because both sides need it: the registry checks each entry's crontab at start-up
and the fan-out finds the slot a late fire belongs to, while the Celery app (which imports
both) hands the same crontabs to beat. Beat's clock is Europe/Oslo, which has had the same
offset and daylight-saving rules as Europe/Copenhagen since 1980, so one crontab means the same
wall-clock time in both countries.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from celery.schedules import crontab

SCHEDULE_TIME_ZONE = "Europe/Oslo"
SCHEDULE_ZONE = ZoneInfo(SCHEDULE_TIME_ZONE)


def parse_crontab(schedule: str) -> crontab:
    """A 5-field crontab string ("minute hour day-of-month month day-of-week")."""
    fields = schedule.split()
    if len(fields) != 5:
        raise ValueError(f"crontab {schedule!r} must have 5 fields: minute hour day-of-month month day-of-week")
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    try:
        return crontab(minute=minute, hour=hour, day_of_month=day_of_month, month_of_year=month_of_year,
                       day_of_week=day_of_week)
    except Exception as error:  # celery's ParseException and ValueError
        raise ValueError(f"crontab {schedule!r} is invalid: {error}") from None


def latest_scheduled_time(schedule: str, now: dt.datetime) -> dt.datetime:
    """The latest minute at or before `now` that the 5-field crontab `schedule` names, in
    Europe/Oslo. Searched day by day, then hour and minute (at most a year back)."""
    cron = parse_crontab(schedule)
    local = now.astimezone(SCHEDULE_ZONE).replace(second=0, microsecond=0)
    for days_back in range(0, 367):
        day = (local - dt.timedelta(days=days_back)).date()
        if not (day.month in cron.month_of_year and day.day in cron.day_of_month
                and day.isoweekday() % 7 in cron.day_of_week):
            continue
        for hour in sorted(cron.hour, reverse=True):
            for minute in sorted(cron.minute, reverse=True):
                candidate = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SCHEDULE_ZONE)
                if candidate <= local:
                    return candidate
    raise ValueError(f"crontab {schedule!r} names no time in the past year")
