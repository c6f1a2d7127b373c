"""The PostgreSQL check every plugin's isolation test makes of its own tables: each one has
row-level security enabled and forced with the tenant policy, the towns that wrote rows have a row
in each, the app's role reads nothing with no tenant in scope, and in a town's scope only that
town's rows (none at all for a town without the plugin)."""

from __future__ import annotations

import sqlalchemy as sa

from velferd.db import Base


def check_plugin_tables(database, prefix: str, with_rows, without_rows, at_least: int) -> None:
    """`prefix` names the plugin's tables (``dropin_``); `with_rows` wrote a row in every one,
    `without_rows` none (a town that has not enabled the plugin)."""
    like = prefix.replace("_", "\\_") + "%"
    tables = ("select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
              f"where n.nspname = 'public' and c.relname like '{like}' and c.relkind = 'r'")
    owner, app_role = sa.create_engine(database.owner_url), sa.create_engine(database.app_url)
    try:
        with owner.connect() as conn:
            every = set(conn.scalars(sa.text(tables)))
            forced = set(conn.scalars(sa.text(f"{tables} and c.relrowsecurity and c.relforcerowsecurity")))
            policies = set(conn.scalars(sa.text(f"select tablename from pg_policies where tablename like '{like}' "
                                                "and qual like '%velferd.tenant_id%'")))
            seeded = {t: conn.scalar(sa.text(f"select count(distinct tenant_id) from {t}")) for t in sorted(every)}
        declared = {t for t in Base.metadata.tables if t.startswith(prefix)}
        assert every == declared and len(every) >= at_least, (every ^ declared)
        assert forced == every, every - forced
        assert policies == every, every - policies
        assert seeded == dict.fromkeys(sorted(every), len(with_rows))  # each writing town has a row in every table
        with app_role.connect() as conn:  # no tenant in scope: nothing
            counts = {t: conn.scalar(sa.text(f"select count(*) from {t}")) for t in sorted(every)}
        assert counts == dict.fromkeys(sorted(every), 0)
        for town in (*without_rows, *with_rows):
            with app_role.connect() as conn:
                conn.execute(sa.text("select set_config('velferd.tenant_id', :v, true)"), {"v": str(town.tenant.id)})
                seen = {t: set(conn.scalars(sa.text(f"select distinct tenant_id from {t}"))) for t in sorted(every)}
            expected = set() if town in without_rows else {town.tenant.id}
            assert seen == dict.fromkeys(sorted(every), expected), town.slug
    finally:
        owner.dispose()
        app_role.dispose()
