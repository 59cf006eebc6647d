"""Moved to :mod:`hardsess.firewall.header`; this path keeps working."""

from __future__ import annotations

from hardsess.firewall.header import duplicated, header_of, pairs_of

__all__ = ["duplicated", "header_of", "pairs_of"]
