"""Django's session engines, each subclassed only to count backend saves.

SESSION_ENGINE names a module whose ``SessionStore`` is used, hence one module per engine. The
subclasses change nothing else: every test still drives the real store.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

#: Backend saves per engine name since the last reset (create() and cycle_key() save too).
SAVES: Counter[str] = Counter()


class CountingMixin:
    engine_name = "?"

    def save(self, must_create: bool = False) -> Any:
        SAVES[self.engine_name] += 1
        return super().save(must_create=must_create)  # type: ignore[misc]
