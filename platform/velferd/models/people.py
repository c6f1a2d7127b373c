"""Citizens: the subjects of cases. Their data is sensitive; every read is audited."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from velferd.db import Base, TenantOwned, Timestamped
from velferd.personal_data import PERSONAL


class Person(Base, TenantOwned, Timestamped):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    national_id: Mapped[str] = mapped_column(sa.String(11), info=PERSONAL)
    national_id_kind: Mapped[str] = mapped_column(sa.String(3))
    birth_date: Mapped[dt.date] = mapped_column(info=PERSONAL)
    given_name: Mapped[str] = mapped_column(sa.String(200), info=PERSONAL)
    family_name: Mapped[str] = mapped_column(sa.String(200), info=PERSONAL)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "national_id"),)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"
