"""The municipality's staff as the plugin sees them: everyone with a membership in the tenant
whose account is active — who may be rostered on a shift or be an individual plan's contact
person. One query (the membership is tenant-owned, so this is the tenant's staff only)."""

from __future__ import annotations

import sqlalchemy as sa

from velferd.toolkit import Membership, User, ValidationFailed, db


def staff_members() -> list[User]:
    """The tenant's active staff, by name."""
    return list(db.session.scalars(
        sa.select(User).join(Membership, Membership.user_id == User.id).where(User.active.is_(True))
        .order_by(User.name, User.id)))


def staff_member(user_id: int, field: str) -> User:
    """The active staff member `user_id`, or a 422 naming `field`."""
    user = db.session.scalar(
        sa.select(User).join(Membership, Membership.user_id == User.id)
        .where(User.id == user_id, User.active.is_(True)))
    if user is None:
        raise ValidationFailed(f"the person is not of this municipality's staff: {field}",
                               {field: [f"User {user_id} is not a staff member of this municipality."]})
    return user
