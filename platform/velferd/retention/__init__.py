"""Retention: how long each kind of record is kept, and what then happens to it (issue 18, point 5).

* `rules` — the declared rules (the core's and each plugin's ``Plugin.retention``) with their
  legal bounds, and the tenant's adjustments of the period within them.
* `guards` — what no rule can override: child-welfare cases are deposited, never deleted; records
  on hold or under appeal are skipped; bookkeeping is kept for its period; the audit log is never
  disposed of.
* `records` — finding, for a rule, the records whose period is over on the tenant's clock.
* `proposals` — the periodic job proposes; two different members holding ``retention:approve``
  approve; then `disposal` carries it out (anonymise, deposit or delete) and logs it.

The job and the disposal read rows regardless of any member's need-to-know scope: they must see
every record of the tenant (velferd.need_to_know's criteria are for requests of scoped members).
"""
