"""Database tables of hardsess: per-user marks, the session index, cookie-session generations,
and what each server process reports to the fleet.

Importing this module is cheap and it defines nothing else: an app that never sets
``HARDSESS["SESSION"]["REVOCATION"] = "db"`` gets one small, empty table from the migration.
"""

from __future__ import annotations

from django.db import models


class RevocationMark(models.Model):
    """A user's marks: "valid after" (a session issued at or before it is refused) and "groups
    changed" (part of the privilege hash of CYCLE_ON_PRIVILEGE_CHANGE). One row, so one indexed
    lookup per authenticated request serves both options.

    ``user_key`` is the user's primary key exactly as Django keeps it in the session
    (``_auth_user_id``, the pk's ``value_to_string``), so the check is one indexed lookup by the
    string the session already carries, for any primary key type, without a join. There is no
    foreign key on purpose: the mark must survive whatever the user table does, and a stale mark
    of a deleted user only refuses sessions that no longer have a user anyway.

    Both times are seconds since the epoch (``time.time()``), the same clock the session's
    ``_hardsess_issued`` stamp uses, so the comparison is exact to the microsecond. Either is
    empty until its event first happens to the user.
    """

    user_key = models.CharField(max_length=255, primary_key=True)
    valid_after = models.FloatField(null=True)
    groups_changed = models.FloatField(null=True)

    class Meta:
        verbose_name = "session revocation mark"
        verbose_name_plural = "session revocation marks"
        # Who may run the admin's "log out everywhere" (hardsess.admin): a permission of its
        # own, since seeing or editing users must not be enough to end their sessions.
        permissions = [  # noqa: RUF012 (Django reads Meta.permissions as a list)
            ("logout_everywhere", "Can log users out everywhere")
        ]

    def __str__(self) -> str:
        if self.valid_after is None:
            return f"user {self.user_key}: no sessions refused"
        return f"sessions of user {self.user_key} issued before {self.valid_after:.6f}"


class SessionRecord(models.Model):
    """One session key of a user, so "log out everywhere" finds it without a scan.

    Kept with ``REVOCATION = "db"`` for the engines that store sessions on the server (db,
    cached_db, cache, file): written at login, moved when hardsess cycles the key, removed at
    logout or expiry. Rows of sessions that simply expired are pruned at the user's next login.
    An index row that is missing (a key cycled by the application itself, a session from
    before the index) costs nothing in safety: the user's revocation mark still refuses it.
    """

    user_key = models.CharField(max_length=255, db_index=True)
    session_key = models.CharField(max_length=255)
    created = models.FloatField()

    class Meta:
        verbose_name = "session record"
        constraints = [  # noqa: RUF012 (Django reads Meta.constraints as a list)
            models.UniqueConstraint(
                fields=["user_key", "session_key"], name="hardsess_sessionrecord_unique"
            )
        ]

    def __str__(self) -> str:
        return f"a session of user {self.user_key}"


class SessionGeneration(models.Model):
    """The current generation of one ``signed_cookies`` session (``REVOCATION = "db"``).

    A cookie session cannot be deleted on the server, so when hardsess cycles its key it raises
    the session's generation here (the session carries its id and generation in
    ``_hardsess_sid`` / ``_hardsess_generation``), and a copy of a lower generation, issued
    before the cycle, is refused. A row is needed only until every such copy has expired by
    Django's own signature age (SESSION_COOKIE_AGE): ``expires``, pruned at the next write.
    """

    session_id = models.CharField(max_length=64, primary_key=True)
    generation = models.PositiveIntegerField()
    expires = models.FloatField(db_index=True)

    class Meta:
        verbose_name = "signed-cookie session generation"

    def __str__(self) -> str:
        return f"a cookie session at generation {self.generation}"


class FleetReport(models.Model):
    """What one server process last reported of one kind (``kind = "cookies"``: the cookies it
    observed, :mod:`hardsess.firewall.observed`), so that one command sees the whole fleet.

    Each process writes its own cumulative totals, replacing its previous row, so a write is
    idempotent and a lost one costs nothing; readers add the rows up. Rows of processes that
    have stopped stay until ``manage.py hardsess cookies --clear`` or until they fall out of
    the reader's window (``updated``).
    """

    process = models.CharField(max_length=200)
    kind = models.CharField(max_length=32)
    payload = models.JSONField()
    updated = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "fleet report"
        constraints = [  # noqa: RUF012 (Django reads Meta.constraints as a list)
            models.UniqueConstraint(fields=["process", "kind"], name="hardsess_fleetreport_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reported by {self.process}"


class KeyRingVersion(models.Model):
    """One version of the shared keyring (``HARDSESS["KEY_STORE"] = "database"``).

    Versions are only ever created, never updated: ``version`` is the primary key, so of two
    servers writing version n + 1 at once exactly one succeeds and the other decides again
    (hardsess.keystore.backends). ``document`` is JSON: ids and schedule in clear, each
    secret a Fernet token under the key-encryption key.
    """

    version = models.PositiveIntegerField(primary_key=True)
    document = models.TextField()
    written = models.DateTimeField()

    class Meta:
        verbose_name = "key ring version"

    def __str__(self) -> str:
        return f"key ring version {self.version}"
