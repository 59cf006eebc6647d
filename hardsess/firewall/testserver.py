"""Which firewall instances serve Django's own test servers, so that a project's tests pass
unchanged (``HARDSESS["TEST_CLIENT"]``, docs/adopting.md#your-test-suite).

Django's test client invents cookies no browser could hold: ``login()``, ``force_login()`` and
``Client.session`` write the bare session key into the client's jar, and ``Client.session``
reads the jar's value back as a session key. Behind a firewall that signs, both break (the
bare key is "unsigned"; the jar's signed value is no session key). So, by default, a firewall
serving the test client neither signs nor demands signatures; everything else (flags,
prefixes, lifetimes, sizes, duplicates, and verification of any value that *is* signed) works
as in production.

Which server an instance serves is decided once, when Django builds the middleware chain, by
who builds it: Django's ``ClientHandler`` / ``AsyncClientHandler`` (the test client, and
every subclass, DRF's ``APIClient`` included), ``LiveServerThread`` (``LiveServerTestCase``,
pytest-django's ``live_server``, where tests copy the test client's session cookie into a
browser) or DRF's ``DjangoTestAdapter`` (``RequestsClient``: ``requests`` over
``http://testserver``, through a plain ``WSGIHandler`` the adapter builds). Nothing a client
sends can change it: it is a fact about the Python objects in the process, not about the
request. A process that never imported ``django.test.client`` answers
False with one dictionary lookup, at start-up, and pays nothing per request.
"""

from __future__ import annotations

import sys
from types import FrameType

__all__ = ["AS_BROWSER", "TEST_SERVERS", "built_by_test_server"]

#: Set to True on a test client's handler to have the firewall treat it as a browser
#: (:class:`hardsess.testing.Client` does: it exists to see the firewall's real wire format).
AS_BROWSER = "hardsess_as_browser"

#: The classes whose instances build a test server's middleware chain: (module, class). A
#: module that was never imported is not looked for.
TEST_SERVERS = (
    ("django.test.client", "ClientHandler"),
    ("django.test.client", "AsyncClientHandler"),
    ("django.test.testcases", "LiveServerThread"),
    ("rest_framework.test", "DjangoTestAdapter"),
)

#: How far up from the middleware's ``__init__`` to look for the handler or the live server
#: thread: load_middleware (1), WSGIHandler.__init__ (2), LiveServerThread.run or
#: DjangoTestAdapter.__init__ (3), with room for a wrapper or two.
_DEPTH = 8


def built_by_test_server() -> bool:
    """Whether the middleware being constructed (the caller's caller) serves one of Django's
    test servers: the in-process test client, or the live server of ``LiveServerTestCase``."""
    modules = sys.modules
    if "django.test.client" not in modules:  # production: the test client was never imported
        return False
    servers = tuple(
        getattr(modules[module], name)
        for module, name in TEST_SERVERS
        if module in modules and hasattr(modules[module], name)
    )
    # The only way to ask who builds us; frame 1 is HardSessMiddleware.__init__.
    frame: FrameType | None = sys._getframe(2)
    for _ in range(_DEPTH):
        if frame is None:
            return False
        builder = frame.f_locals.get("self")
        if isinstance(builder, servers):
            return not getattr(builder, AS_BROWSER, False)
        frame = frame.f_back
    return False
