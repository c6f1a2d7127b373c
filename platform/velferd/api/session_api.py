"""Password login with a session cookie, for people; scripts use bearer tokens."""

from __future__ import annotations

import sqlalchemy as sa
from flask import session
from flask_smorest import Blueprint

from velferd.api.schemas import LoginSchema, UserSchema
from velferd.auth import current_session_user, verify_password
from velferd.db import db
from velferd.errors import Unauthorized
from velferd.models import User

blp = Blueprint("session", __name__, url_prefix="/api/auth", description="Log in and out")


@blp.post("/login")
@blp.arguments(LoginSchema)
@blp.response(200, UserSchema)
def login(credentials):
    """Log in with e-mail and password; the session cookie then authenticates requests."""
    user = db.session.scalar(sa.select(User).where(User.email == credentials["email"].lower()))
    if not verify_password(user, credentials["password"]):
        raise Unauthorized("wrong e-mail or password")
    session.clear()
    session["user_id"] = user.id
    return user


@blp.post("/logout")
@blp.response(204)
def logout():
    session.clear()


@blp.get("/me")
@blp.response(200, UserSchema)
def me():
    user = current_session_user()
    if user is None:
        raise Unauthorized("not logged in")
    return user
