"""The only ways into the identity columns: read one account's password hash for a login, create
an account (never an operator), set a password given the current hash, make an operator.

On PostgreSQL the app role may not read ``app_user.password_hash`` nor write ``app_user`` at all
(velferd.rls); these go through the SECURITY DEFINER functions of migration 0004, and making an
operator needs the schema owner's connection (``VELFERD_MIGRATION_DATABASE_URL``), as
``velferd db upgrade`` does. On SQLite (the embedded demo, one file, no roles) they are plain
statements. Either way the rest of the code calls these and never touches the columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from velferd.db import db, utcnow
from velferd.errors import Conflict, VelferdError
from velferd.models import User


@dataclass(frozen=True)
class Credentials:
    user_id: int
    password_hash: str | None
    active: bool


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def credentials_for(email: str) -> Credentials | None:
    """The account's id, password hash and whether it is active, for `email` (compared in lower
    case), or None. One query either way, so a failed login costs the same for any e-mail."""
    if _on_postgresql():
        row = db.session.execute(sa.text("select * from velferd_login_credentials(:email)"), {"email": email}).first()
    else:
        row = db.session.execute(sa.select(User.id, User.password_hash, User.active)
                                 .where(User.email == email.lower())).first()
    return Credentials(*row) if row is not None else None


def email_is_registered(email: str) -> bool:
    return db.session.scalar(sa.select(User.id).where(User.email == email.lower())) is not None


def create_user(email: str, name: str, password_hash: str | None) -> User:
    """A new, active, non-operator account; 409 if the e-mail has one already."""
    email = email.lower()
    if email_is_registered(email):
        raise Conflict(f"a user with the e-mail {email} exists already", {"email": ["Already registered."]})
    if _on_postgresql():
        user_id = db.session.scalar(sa.text("select velferd_create_user(:email, :name, :hash)"),
                                    {"email": email, "name": name, "hash": password_hash})
        return db.session.get(User, user_id)
    user = User(email=email, name=name, password_hash=password_hash, is_operator=False, active=True)
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user_id: int, current_hash: str | None, new_hash: str) -> bool:
    """Replace the password hash if it is still `current_hash` (the one the caller verified
    against); False when it changed meanwhile, so a concurrent change is never overwritten."""
    if _on_postgresql():
        return bool(db.session.scalar(sa.text("select velferd_set_password(:id, :current, :new)"),
                                      {"id": user_id, "current": current_hash, "new": new_hash}))
    same_hash = User.password_hash.is_(None) if current_hash is None else User.password_hash == current_hash
    result = db.session.execute(
        sa.update(User).where(User.id == user_id, same_hash).values(password_hash=new_hash)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


class OwnerConnectionNeeded(VelferdError):
    status = 403


def create_operator(email: str, name: str, password_hash: str | None) -> User:
    """An operator account. On PostgreSQL written with the schema owner's connection and
    committed at once (the app role can neither insert one nor set ``is_operator``)."""
    email = email.lower()
    if email_is_registered(email):
        raise Conflict(f"a user with the e-mail {email} exists already", {"email": ["Already registered."]})
    if not _on_postgresql():
        user = create_user(email, name, password_hash)
        user.is_operator = True
        db.session.flush()
        return user
    owner_url = current_app.config["MIGRATION_DATABASE_URL"] or current_app.config["SQLALCHEMY_DATABASE_URI"]
    engine = sa.create_engine(owner_url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            user_id = connection.scalar(
                sa.insert(User.__table__).values(email=email, name=name, password_hash=password_hash,
                                                 is_operator=True, active=True, created_at=utcnow())
                .returning(User.__table__.c.id))
    except sa.exc.ProgrammingError:
        raise OwnerConnectionNeeded(
            "creating an operator needs the schema owner's database connection; set "
            "VELFERD_MIGRATION_DATABASE_URL (the role that runs 'velferd db upgrade')") from None
    finally:
        engine.dispose()
    return db.session.get(User, user_id)
