"""The evaluation's entered data: the costs per service and year, and the recorded survey answers
(the citizens' view and the staff's assessment).

The guide (../shared/seeds/003_dbb2a96da9dea517.txt, p. 3 and 15): "Enhedsudgifterne for de
samlede indsatser varierer fra kr. til kr. pr. borger, der anvender tilbuddet" — so a cost is
entered per service and year and later divided by the citizens who used that service; and
"Evalueringen bør inddrage både borgernes syn på indsatsen, medarbejdernes vurdering af
samarbejdet og de videre udviklingsmuligheder" — so a survey answer is a citizen's or a staff
member's. A survey answer is anonymous: it names a centre and a day, never a person, and its
comment is refused when it holds a national id, a phone number or an e-mail address (`surveys`).

Amounts are `Money` (NUMERIC(14, 2), Decimal, DKK). Every table is tenant-owned, tenant_id in
every unique constraint.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.toolkit import Base, Money, TenantOwned, utcnow


class ServiceCost(Base, TenantOwned):
    """One cost of a service in a year (``Sagsbehandler, 1 dag om ugen``: 182 000,00 kr)."""

    __tablename__ = "dropin_service_cost"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    service: Mapped[str] = mapped_column(sa.String(30))
    label: Mapped[str] = mapped_column(sa.String(200))
    amount: Mapped[Decimal] = mapped_column(Money)
    covers: Mapped[str | None] = mapped_column(sa.String(1000))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "year", "service", "label"),)


class SurveyResponse(Base, TenantOwned):
    """One answered questionnaire: whose view (`kind`), at which centre, on which day, the scores
    1–5 by question (`surveys.QUESTIONS`; a question left out was not answered) and a comment."""

    __tablename__ = "dropin_survey_response"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("dropin_centre.id"), index=True)
    answered_on: Mapped[dt.date] = mapped_column(index=True)
    scores: Mapped[dict]
    comment: Mapped[str | None] = mapped_column(sa.String(2000))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
