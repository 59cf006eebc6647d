"""The mark store (hardsess/lifecycle/marks.py): which sessions a user's marks refuse."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group

from hardsess.lifecycle import marks
from hardsess.models import RevocationMark
from tests.sessions.conftest import FakeClock, _configure_engine, get, signed_in

pytestmark = pytest.mark.django_db

COOKIE = "signed_cookies"


@pytest.mark.parametrize(
    ("issued", "mark", "revoked"),
    [(None, None, False), (10.0, None, False), (None, 5.0, True), (4.9, 5.0, True),
     (5.0, 5.0, True), (5.000001, 5.0, False)],
)  # fmt: skip
def test_is_revoked_boundary(issued: float | None, mark: float | None, revoked: bool) -> None:
    assert marks.is_revoked(issued, mark) is revoked


def test_a_groups_changed_row_refuses_nothing(clock: FakeClock, settings: Any, alice: Any) -> None:
    """The mark row now also carries "groups changed"; a row without "valid after" (the user's
    groups changed, nobody logged them out) must not refuse their sessions."""
    _configure_engine(COOKIE, settings, None)
    client = signed_in(settings, revocation="db", cycle_on_privilege_change=True)
    alice.groups.add(Group.objects.create(name="editors"))
    mark = RevocationMark.objects.get(user_key=str(alice.pk))
    assert mark.valid_after is None
    assert mark.groups_changed is not None
    clock.advance(1)
    assert get(client)["user"] == "alice"


@pytest.mark.parametrize("with_mark", [True, False])
@pytest.mark.parametrize("with_generation", [True, False])
def test_db_lookup_reads_mark_and_generation_in_one_query(
    with_mark: bool, with_generation: bool
) -> None:
    """A signed-in cookie session's lookup folds the mark row and the generation row into one
    statement, and reads each right whether its row exists or not (on the suite's SQLite; on
    PostgreSQL: the next test)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hardsess.models import SessionGeneration

    if with_mark:
        RevocationMark.objects.create(user_key="7", valid_after=1234.5, groups_changed=99.25)
        RevocationMark.objects.create(user_key="8", valid_after=1.0)  # another user's row
    if with_generation:
        SessionGeneration.objects.create(session_id="sid-a", generation=3, expires=10.0**10)
        SessionGeneration.objects.create(session_id="sid-b", generation=9, expires=10.0**10)
    with CaptureQueriesContext(connection) as queries:
        found = marks.DbMarkStore().lookup("7", "sid-a")
    assert len(queries) == 1
    assert found == marks.UserMarks(
        valid_after=1234.5 if with_mark else None,
        groups_changed=99.25 if with_mark else None,
        generation=3 if with_generation else None,
    )
    assert isinstance(found.generation, int) or found.generation is None
    # The separate reads agree with the folded one.
    alone = marks.DbMarkStore().get("7")
    assert (alone.valid_after, alone.groups_changed) == (found.valid_after, found.groups_changed)
    assert marks.DbMarkStore().lookup(None, "sid-a").generation == found.generation


@pytest.fixture
def postgres_alias() -> Any:
    """A ``postgres`` connection alias on a schema of its own, holding the two mark tables."""
    import uuid

    import psycopg
    from django.db import connections
    from django.db.backends.postgresql.base import DatabaseWrapper

    from hardsess.models import SessionGeneration
    from tests.pg_settings import postgres_database
    from tests.services import require_postgres

    url = require_postgres()
    schema = f"hardsess_marks_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    wrapper = DatabaseWrapper(
        {**connections["default"].settings_dict, **postgres_database(url, schema)},
        alias="postgres",
    )
    connections["postgres"] = wrapper
    try:
        with wrapper.schema_editor() as editor:
            editor.create_model(RevocationMark)
            editor.create_model(SessionGeneration)
        yield "postgres"
    finally:
        wrapper.close()
        del connections["postgres"]
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.mark.parametrize("with_mark", [True, False])
@pytest.mark.parametrize("with_generation", [True, False])
def test_folded_lookup_on_postgresql(
    postgres_alias: str, with_mark: bool, with_generation: bool
) -> None:
    """The folded statement on PostgreSQL, whose UNION ALL resolves the float and integer
    columns itself: the same answers as SQLite's, the generation an int."""
    from django.db import connections

    from hardsess.models import SessionGeneration

    assert connections[postgres_alias].vendor == "postgresql"
    if with_mark:
        RevocationMark.objects.using(postgres_alias).create(
            user_key="7", valid_after=1234.5, groups_changed=99.25
        )
        RevocationMark.objects.using(postgres_alias).create(user_key="8", valid_after=1.0)
    if with_generation:
        for sid, generation in (("sid-a", 3), ("sid-b", 9)):
            SessionGeneration.objects.using(postgres_alias).create(
                session_id=sid, generation=generation, expires=10.0**10
            )
    found = marks._marks_and_generation(postgres_alias, "7", "sid-a")
    assert found == marks.UserMarks(
        valid_after=1234.5 if with_mark else None,
        groups_changed=99.25 if with_mark else None,
        generation=3 if with_generation else None,
    )
    assert isinstance(found.generation, int) or found.generation is None
