"""The base of every input schema of the plugin's API and pages: the core's, which refuses an
unknown field with a 422 naming it rather than dropping it."""

from velferd.toolkit import StrictSchema as Strict

__all__ = ["Strict"]
