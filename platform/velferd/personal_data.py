"""Which columns hold personal data, declared on the model, so that the citizen's export, the
anonymisation of retention and the log scanner read one declaration instead of hand-kept lists.

A column is marked in its ``mapped_column(..., info=PERSONAL)`` (personal data, GDPR art. 4) or
``info=SPECIAL`` (a special category, art. 9: health, substance use, child welfare — most free
text a caseworker writes about a citizen). A column without a mark holds none.
"""

from __future__ import annotations

PERSONAL_DATA_KEY = "personal_data"
#: art. 4: identifies or describes a person (name, national id, contact, birth date)
PERSONAL = {PERSONAL_DATA_KEY: "personal"}
#: art. 9: special categories — health, substance use, child welfare, a caseworker's notes
SPECIAL = {PERSONAL_DATA_KEY: "special"}
