"""Breaking the glass: a member opens a case outside their need to know, with a stated reason.

Emergencies do not wait for an admin to change someone's units: a caseworker covering for a sick
colleague must be able to read the case. So the access is granted at once, but never silently —
the reason is required, the grant is audited (``case.break_glass``, with the reason, on the
person's record, so it is in their access log), it lasts a working day
(`velferd.need_to_know.GRANT_HOURS`), and it is reported to the leaders of the unit that holds
the case, who see it among their reports until one of them has reviewed it.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from velferd import audit, break_glass_mail, need_to_know
from velferd.auth import current_user
from velferd.db import db, utcnow
from velferd.errors import NotFound
from velferd.models import AccessGrant, Case, Membership
from velferd.jobs import enqueue
from velferd.tenancy import get_owned, require_tenant


def leaders_to_tell(case: Case) -> list[int]:
    """The user ids of the leaders a broken glass on `case` is reported to: the leaders working in
    the unit that holds it, or, for a case no unit holds, the leaders working in its programme."""
    leaders = []
    for membership in db.session.scalars(sa.select(Membership)):
        if "leader" not in membership.roles:
            continue
        if case.unit_id is not None:
            concerned = case.unit_id in (membership.unit_ids or ())
        else:
            concerned = not membership.programmes or case.plugin in membership.programmes
        if concerned:
            leaders.append(membership.user_id)
    return sorted(leaders)


def break_the_glass(case_id: int, reason: str) -> AccessGrant:
    """Open case `case_id` to the caller for `GRANT_HOURS`, for `reason` (404 for a case this
    municipality does not have). Looked up past the caller's scope: that is the point."""
    user = current_user()
    with need_to_know.unscoped():
        case = get_owned(Case, case_id)
        if case is None:
            raise NotFound(f"no case {case_id}")
        leaders = leaders_to_tell(case)
    now = utcnow()
    grant = AccessGrant(user_id=user.id, case_id=case.id, reason=reason, granted_at=now,
                        expires_at=now + dt.timedelta(hours=need_to_know.GRANT_HOURS), reported_to=leaders)
    db.session.add(grant)
    db.session.flush()
    audit.record("case.break_glass", "case", case.id, person_id=case.person_id,
                 details={"reason": reason, "grant_id": grant.id, "unit_id": case.unit_id, "reported_to": leaders,
                          "expires_at": grant.expires_at.isoformat()})
    if break_glass_mail.leaders_wanting_email(leaders):
        enqueue(break_glass_mail.TASK, tenant=require_tenant(), kwargs={"grant_id": grant.id}, actor=user)
    return grant


def reports_for_me(unreviewed_only: bool = True) -> list[AccessGrant]:
    """The broken glasses reported to the caller (a leader), newest first. Read past the caller's
    scope: a leader must see a colleague's access to a case of their unit even where the leader's
    own scope would not reach the case (it is about the colleague)."""
    user = current_user()
    query = sa.select(AccessGrant).order_by(AccessGrant.id.desc())
    if unreviewed_only:
        query = query.where(AccessGrant.reviewed_at.is_(None))
    with need_to_know.unscoped():
        grants = list(db.session.scalars(query))
    return [grant for grant in grants if user.id in (grant.reported_to or [])]


def review(grant_id: int) -> AccessGrant:
    """A leader it was reported to has looked at the access (404 for anyone else)."""
    user = current_user()
    with need_to_know.unscoped():
        grant = get_owned(AccessGrant, grant_id)
    if grant is None or user.id not in (grant.reported_to or []):
        raise NotFound(f"no report {grant_id} for you")
    grant.reviewed_by_id, grant.reviewed_at = user.id, utcnow()
    audit.record("access_grant.reviewed", "access_grant", grant.id,
                 details={"case_id": grant.case_id, "user_id": grant.user_id})
    return grant
