"""Which municipalities a logged-in user works in.

Memberships are tenant-owned rows: the ORM's tenant filter and PostgreSQL's row-level security
show a membership only with its tenant in scope. So each tenant is asked in its own scope, the
way the API's membership check (velferd.auth) sees it, rather than around those two layers.
One small query per municipality: there are tens of them, not thousands.
"""

from __future__ import annotations

import sqlalchemy as sa

from velferd.db import db
from velferd.models import Membership, Tenant, User
from velferd.tenancy import tenant_scope


def municipalities_of(user: User) -> list[Tenant]:
    """The tenants where `user` is a member, by name."""
    found = []
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.name)).all():
        with tenant_scope(tenant):
            if db.session.scalar(sa.select(Membership.id).where(Membership.user_id == user.id)) is not None:
                found.append(tenant)
    db.session.commit()  # each scope's transaction ends here, with no tenant set
    return found
