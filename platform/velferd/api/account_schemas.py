"""Schemas of the account endpoints: invitations, accepting one, changing one's password, roles."""

from __future__ import annotations

from marshmallow import fields, validate

from velferd.api.quick_dump import QuickDump
from velferd.api.schemas import MemberCreateSchema, Strict, UserSchema
from velferd.passwords import MAX_LENGTH as MAX_PASSWORD

MAX_TOKEN = 200


def Password(**kwargs) -> fields.String:
    """A password field: never dumped; its strength is checked where it is set (velferd.passwords)."""
    return fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=MAX_PASSWORD), **kwargs)


class InvitationSchema(QuickDump):
    """What the admin gets back for any e-mail address — the same fields whether or not the
    address has an account anywhere. ``token`` is shown only in the answer to the POST."""

    id = fields.Integer()
    email = fields.Email()
    name = fields.String()
    roles = fields.List(fields.String())
    expires_at = fields.DateTime()
    token = fields.String(metadata={"description": "vi.<tenant>.<secret>: hand it to the person invited; "
                                                   "shown once, stored only as a hash"})


class PendingInvitationSchema(InvitationSchema):
    """An invitation in the admin's list: its token was shown once and is not kept."""

    class Meta:
        exclude = ("token",)


class InvitationAcceptSchema(Strict):
    token = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TOKEN))
    password = Password(metadata={"description": "the password of your existing account, or the new "
                                                 "account's password if the e-mail has none"})


class AcceptedSchema(QuickDump):
    """The membership the invitation gave."""

    tenant = fields.String()
    roles = fields.List(fields.String())
    user = fields.Nested(UserSchema)


class PasswordChangeSchema(Strict):
    current_password = Password()
    new_password = Password()


class MemberRolesSchema(MemberCreateSchema):
    """A member's new roles: the invitation's roles field alone."""

    class Meta(MemberCreateSchema.Meta):
        exclude = ("email", "name")


class LoginEventSchema(QuickDump):
    id = fields.Integer()
    at = fields.AwareDateTime()
    email = fields.String()
    user_id = fields.Integer(allow_none=True)
    outcome = fields.String()
    remote_addr = fields.String(allow_none=True)
    user_agent = fields.String(allow_none=True)


class LoginEventQuerySchema(Strict):
    email = fields.String(validate=validate.Length(max=254))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
