"""The plugin system: hook specifications, the plugin manager and per-tenant enablement."""
