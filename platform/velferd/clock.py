"""The tenant's clock: what day and time it is where the municipality is.

A municipality's calendar, not the server's, decides which day something happened on: a
decision recorded at 00:30 in Oslo is dated today, not yesterday (in UTC), and a billing period
has ended when its last day has ended in the tenant's zone (Europe/Oslo, Europe/Copenhagen).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from velferd.models import Tenant


def tenant_zone(tenant: Tenant) -> ZoneInfo:
    """The municipality's time zone (from its country when it was created)."""
    return ZoneInfo(tenant.time_zone)


def tenant_today(tenant: Tenant) -> dt.date:
    """Today's date where the municipality is (a decision at 00:30 in Oslo is not yesterday)."""
    return dt.datetime.now(tenant_zone(tenant)).date()
