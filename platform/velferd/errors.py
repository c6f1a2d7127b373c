"""Errors a user can act on. Services raise these; the API turns them into JSON with the
status, a sentence saying what is wrong, and (for 422) the offending fields."""

from __future__ import annotations

from typing import Any, Mapping


class VelferdError(Exception):
    status = 400

    def __init__(self, message: str, fields: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})


class BadRequest(VelferdError):
    status = 400


class Unauthorized(VelferdError):
    status = 401


class Forbidden(VelferdError):
    status = 403


class NotFound(VelferdError):
    status = 404


class Conflict(VelferdError):
    status = 409


class ValidationFailed(VelferdError):
    """422: the input was understood but a field is wrong. `fields` maps field → messages."""

    status = 422

    @classmethod
    def from_marshmallow(cls, error, what: str = "input") -> "ValidationFailed":
        fields = error.normalized_messages()
        names = ", ".join(sorted(str(k) for k in fields)) if isinstance(fields, dict) else ""
        return cls(f"{what} is invalid" + (f": {names}" if names else ""), fields)
