"""Billing in the core: payers, invoices and credit notes billed exactly once, gapless numbers,
the monthly run, and delivery by e-mail, EHF and finance export. Plugins only contribute lines."""
