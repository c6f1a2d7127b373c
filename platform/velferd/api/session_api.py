"""Password login with a server-side session, for people (scripts use bearer tokens); logout,
changing one's password, and accepting an invitation to a municipality."""

from __future__ import annotations

from flask_smorest import Blueprint

from velferd import accounts, invitations, sessions
from velferd.api.account_schemas import AcceptedSchema, InvitationAcceptSchema, PasswordChangeSchema
from velferd.api.errors import error_response
from velferd.api.schemas import LoginSchema, UserSchema
from velferd.auth import current_session_user
from velferd.api.openapi import ErrorSchema
from velferd.credentials import set_new_password
from velferd.db import db
from velferd.errors import Unauthorized, ValidationFailed
from velferd.login import check_password, password_matches_throttled
from velferd.throttle import TooManyAttempts

blp = Blueprint("session", __name__, url_prefix="/api/auth", description="Log in and out")


def _documents_throttling():
    return blp.alt_response(429, schema=ErrorSchema, description="too many failed password attempts", headers={
        "Retry-After": {"description": "seconds until another attempt is counted", "schema": {"type": "integer"}}})


@blp.errorhandler(TooManyAttempts)
def _too_many_attempts(error: TooManyAttempts):
    db.session.rollback()
    return error_response(429, error.message, headers={"Retry-After": str(error.retry_after)})


@blp.post("/login")
@blp.doc(security=[])  # no caller yet (velferd.api.openapi)
@blp.arguments(LoginSchema)
@blp.response(200, UserSchema)
@_documents_throttling()
def login(credentials):
    """Log in with e-mail and password; the session cookie then authenticates requests. Failed
    attempts are limited per account and per address (429 with Retry-After); all are logged."""
    user = check_password(credentials["email"], credentials["password"])
    sessions.start(user)
    db.session.commit()
    return user


@blp.post("/logout")
@blp.response(204)
def logout():
    """End this session: the cookie stops working, also if it was copied."""
    sessions.end_current()
    db.session.commit()


@blp.get("/me")
@blp.response(200, UserSchema)
def me():
    """The user of this session."""
    user = current_session_user()
    if user is None:
        raise Unauthorized("not logged in")
    return user


@blp.post("/password")
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
@_documents_throttling()
def change_password(data):
    """Change your password (with your current one). Every session of yours ends, on every
    device; this browser gets a new one. API tokens stay valid (revoke them under /tokens)."""
    user = current_session_user()
    if user is None:
        raise Unauthorized("log in to change your password")
    credentials = accounts.credentials_for(user.email)
    if not password_matches_throttled(user.email, credentials.password_hash, data["current_password"]):
        raise ValidationFailed("the current password is wrong", {"current_password": ["Wrong password."]})
    if data["new_password"] == data["current_password"]:
        raise ValidationFailed("the new password is the current one",
                               {"new_password": ["Choose a password different from the current one."]})
    set_new_password(user, credentials.password_hash, data["new_password"])
    sessions.start(user)
    db.session.commit()


@blp.post("/invitations/accept")
@blp.doc(security=[])  # no caller yet (velferd.api.openapi)
@blp.arguments(InvitationAcceptSchema)
@blp.response(200, AcceptedSchema)
@_documents_throttling()
def accept_invitation(data):
    """Accept an invitation to a municipality. If the invitation's e-mail has an account, give its
    password; otherwise the password given becomes the new account's (checked for strength)."""
    tenant, membership = invitations.accept(data["token"], data["password"])
    return {"tenant": tenant.slug, "roles": membership.roles, "user": membership.user}
