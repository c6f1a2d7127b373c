"""Velferd: a multi-tenant platform for municipal social-service programmes.

Plugins import from `velferd.toolkit`, the stable public API; everything else may change.
"""

from velferd.app import create_app

__all__ = ["create_app"]
