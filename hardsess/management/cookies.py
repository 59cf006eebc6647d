"""``manage.py hardsess cookies``: what the fleet's firewalls observed, and the policy to paste.

During report-only (docs/adopting.md#a-guided-rollout) every server process counts, per cookie
name, how often the site set it and how it arrived (:mod:`hardsess.firewall.observed`) and
writes its totals to the fleet store (:mod:`hardsess.fleet`). This command adds up every
process's report and sorts each cookie into one of:

* ``site``: the site's own (Django's, named by the policy, or seen leaving in a Set-Cookie):
  signed from enforcement on; its unsigned copies arriving now are from before hardsess;
* ``well-known``: a family of :mod:`hardsess.firewall.families` (analytics, consent, CDN):
  passes unsigned;
* ``exempt``: the policy already lets it through unsigned;
* ``foreign``: never set by the site, arrives unsigned, no entry names it: **dropped from
  request.COOKIES once enforcing**. These are the ones a team must decide about: the command
  prints a ``HARDSESS["COOKIES"]`` fragment that lets them through unsigned, to paste (after
  deleting the lines for cookies no code of the site reads).

Cookie names are the client's choosing: a scanner's invented names are foreign too. Only names
made of cookie-name characters are offered in the fragment, each as a Python string literal
(quoted as JSON, which is Python too), with its count, so that the reader can tell the script's
cookie seen on every visit from the name one client sent once (``--min-count``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from hardsess import conf, fleet
from hardsess.firewall.observed import KINDS, OTHER
from hardsess.management.keys import Writer

__all__ = ["Observation", "add_arguments", "aggregate", "classify", "handle", "policy_fragment"]

#: Verdicts, in the order the table lists them: what needs a decision first.
VERDICTS = ("foreign", "site", "exempt", "well-known", "other")
VERDICT_TEXT = {
    "foreign": "FOREIGN: never seen set; dropped once enforcing",
    "site": "site's own: signed once enforcing",
    "exempt": "exempt by the policy: passes unsigned",
    "well-known": "well-known family: passes unsigned",
    "other": "names past the bound of distinct names: not judged",
}
#: A cookie name as RFC 6265 allows it (a token); ``*`` is also the policy's wildcard.
_COOKIE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_DURATION = re.compile(r"(\d+)([mhd])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


@dataclass
class Observation:
    """One cookie name shape, added up over the fleet."""

    name: str
    origin: str
    counts: dict[str, int] = field(default_factory=dict)
    processes: int = 0

    @property
    def verdict(self) -> str:
        return classify(self.origin, self.counts)


def classify(origin: str, counts: Mapping[str, int]) -> str:
    """The verdict of a cookie whose requirements come from ``origin`` (see
    RequirementsResolver.origin_of) and that was observed ``counts`` times per kind."""
    if origin == OTHER:
        return "other"
    if origin.startswith("well-known: "):
        return "well-known"
    if counts.get("exempt", 0) and not counts.get("unsigned", 0):
        return "exempt"
    if origin == "*" and not counts.get("set", 0) and counts.get("unsigned", 0):
        return "foreign"
    return "site"


def aggregate(reports: list[fleet.Report]) -> list[Observation]:
    """Every process's totals added up per name shape; the origin is the latest report's."""
    merged: dict[str, Observation] = {}
    for report in sorted(reports, key=lambda r: r.updated):
        for name, entry in report.payload.items():
            if not isinstance(entry, Mapping):
                continue  # a row written by another version, or edited by hand
            seen = merged.setdefault(name, Observation(name, str(entry.get("origin", "*"))))
            seen.origin = str(entry.get("origin", seen.origin))
            seen.processes += 1
            for kind in KINDS:
                count = entry.get(kind, 0)
                if isinstance(count, int) and count > 0:
                    seen.counts[kind] = seen.counts.get(kind, 0) + count
    return sorted(
        merged.values(),
        key=lambda o: (VERDICTS.index(o.verdict), -sum(o.counts.values()), o.name),
    )


#: The literal text a pattern offered in the fragment must start with before its first ``*``:
#: ``remember-cookie_*`` is one script's cookies, ``c*`` or ``*`` would be most of the site's.
MIN_PATTERN_PREFIX = 4


def offered(
    observation: Observation, min_count: int, others: list[Observation] | None = None
) -> bool:
    """Whether a foreign cookie goes into the pasted fragment.

    Never a key that would exempt more than that cookie: not ``"*"`` or a pattern with a short
    literal prefix (a name of digits is folded into ``*``; a client may send a cookie named
    ``*``), and not a pattern that also matches a cookie observed as the site's own or one of
    Django's (``others``).
    """
    name = observation.name
    if not (
        observation.verdict == "foreign"
        and name != OTHER
        and _COOKIE_NAME.fullmatch(name) is not None
        and observation.counts.get("unsigned", 0) >= min_count
    ):
        return False
    if "*" not in name:
        return True
    if name.index("*") < MIN_PATTERN_PREFIX:
        return False
    pattern = re.compile(".*".join(re.escape(part) for part in name.split("*")))
    kept = [o.name for o in others or () if o.verdict != "foreign"]
    django_names = (
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        "messages",
    )
    return not any(pattern.fullmatch(n) for n in (*kept, *django_names))


def policy_fragment(foreign: list[Observation]) -> str:
    """A settings fragment that merges entries for ``foreign`` into ``HARDSESS["COOKIES"]``.

    The project's own entries come after the new ones, so a name it already gives keeps the
    project's requirements."""
    has_hardsess = hasattr(settings, conf.SETTING_NAME)
    lines = ["HARDSESS = {"]
    if has_hardsess:
        lines.append("    **HARDSESS,  # REPORT_ONLY, KEYS, SESSION, ... stay as they are")
    lines.append('    "COOKIES": {')
    lines.append(
        "        # No server was seen setting these in the reports read: JavaScript or another"
    )
    lines.append("        # service sets them. They pass unsigned and unverified, so no view may")
    lines.append("        # trust their values. Delete the line of a cookie no code of this site")
    lines.append("        # reads (better dropped), and of one the site does set itself (at login,")
    lines.append("        # say, outside the reports read): signed is right for that one.")
    for observation in foreign:
        count = observation.counts.get("unsigned", 0)
        lines.append(
            f'        {json.dumps(observation.name)}: {{"sign": False, "httponly": False}},'
            f"  # arrived {count} time(s)"
        )
    if has_hardsess:
        lines.append('        **HARDSESS.get("COOKIES", {}),  # the project\'s entries win')
    lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since",
        metavar="DURATION",
        help="only reports written in the last DURATION (30m, 6h, 2d); default: all",
    )
    parser.add_argument(
        "--min-count",
        type=int,
        default=2,
        metavar="N",
        help="list and offer a foreign cookie only if it arrived at least N times (default 2: "
        "a name sent once is a scanner's, most likely)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--clear",
        action="store_true",
        help="delete every process's report (start a new observation window) and exit",
    )


def _since(text: str | None) -> datetime.datetime | None:
    if text is None:
        return None
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"--since {text!r}: a number and m, h or d (30m, 6h, 2d)")
    delta = datetime.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    return timezone.now() - delta


def handle(options: Mapping[str, Any], stdout: Writer, stderr: Writer) -> int:
    """Run ``hardsess cookies``; returns the exit status."""
    if options.get("clear"):
        stdout.write(f"Deleted {fleet.clear('cookies')} report(s).\n")
        return 0
    try:
        since = _since(options.get("since"))
    except ValueError as exc:
        stderr.write(f"{exc}\n")
        return 2
    reports = fleet.reports("cookies", since)
    observations = aggregate(reports)
    min_count = max(int(options.get("min_count") or 1), 1)
    foreign = [o for o in observations if offered(o, min_count, observations)]
    # Foreign names seen fewer than min_count times are counted, not listed: a scanner's
    # invented names would otherwise fill the table.
    rare = {
        o.name
        for o in observations
        if o.verdict == "foreign" and o.counts.get("unsigned", 0) < min_count
    }
    observations = [o for o in observations if o.name not in rare]
    if options.get("json"):
        stdout.write(_as_json(reports, observations, foreign, len(rare)) + "\n")
        return 0
    if not observations and not rare:
        stdout.write(_nothing_yet())
        return 0
    if observations:
        stdout.write(_table(reports, observations))
    if rare:
        stdout.write(
            f"... and {len(rare)} foreign name(s) seen fewer than {min_count} times, not listed "
            "(--min-count 1 lists them)\n"
        )
    if foreign:
        stdout.write(
            f"\n{len(foreign)} foreign cookie(s) would be dropped from request.COOKIES once "
            "enforcing. To let them through unsigned, paste after HARDSESS in your settings:\n\n"
        )
        stdout.write(policy_fragment(foreign))
    else:
        stdout.write(
            f"\nNo foreign cookie arrived {min_count} time(s) or more: nothing to decide about.\n"
        )
    return 0


def _nothing_yet() -> str:
    when = conf.observe_options()["WHEN"]
    return (
        "No observations in the fleet store yet. Servers observe cookies while "
        f"HARDSESS['OBSERVE']['WHEN'] is {when!r} (by default: in report-only) and write "
        "their totals every HARDSESS['OBSERVE']['INTERVAL'] seconds; `manage.py migrate` "
        "creates the table they write to. See docs/adopting.md#a-guided-rollout.\n"
    )


def _table(reports: list[fleet.Report], observations: list[Observation]) -> str:
    first = min(r.updated for r in reports).strftime("%Y-%m-%d %H:%M")
    last = max(r.updated for r in reports).strftime("%Y-%m-%d %H:%M %Z")
    width = min(max(len(_printable(o.name)) for o in observations), 40)
    head = f"{'cookie':<{width}}  {'origin':<28}" + "".join(f"{k:>9}" for k in KINDS)
    rows = [
        f"Observed by {len(reports)} process(es), last reports {first} to {last}:\n",
        head + "  verdict",
    ]
    for o in observations:
        counts = "".join(f"{o.counts.get(k, 0):>9}" for k in KINDS)
        name = _printable(o.name)
        rows.append(
            f"{name[:width]:<{width}}  {_printable(o.origin)[:28]:<28}{counts}  "
            f"{VERDICT_TEXT[o.verdict]}"
        )
    return "\n".join(rows) + "\n"


def _printable(text: str) -> str:
    """A name as the terminal may show it: a client chose it, and escape sequences in it would
    drive the operator's terminal (clear it, hide lines)."""
    return text if text.isprintable() and text.isascii() else ascii(text)[1:-1]


def _as_json(
    reports: list[fleet.Report],
    observations: list[Observation],
    foreign: list[Observation],
    rare: int,
) -> str:
    return json.dumps(
        {
            "processes": len(reports),
            "reports": [{"process": r.process, "updated": r.updated.isoformat()} for r in reports],
            "cookies": [{**asdict(o), "verdict": o.verdict} for o in observations],
            "policy": {o.name: {"sign": False, "httponly": False} for o in foreign},
            "rare_foreign_names": rare,
        },
        indent=2,
    )
