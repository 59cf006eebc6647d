"""What one file may cost: a size cap, a time budget, and a screen for what libcst cannot bear.

One pathological file must not stall a run or a pre-commit hook. libcst's parser is native
code, so nothing interrupts it once it has started: a 4.5 MB settings module takes about 45 s
and 2.8 GB to parse, a chain of 4,000 ``+`` terms several seconds (the time grows faster than
the length), and a few thousand nested brackets or attribute dots crash the process
(SIGSEGV). So the budget works in three layers:

* **Size**: a file over ``max-file-size`` bytes is never parsed (nor read whole: the runner
  checks its size first and runs the byte pre-filter on it in chunks, so a file that cannot
  matter is passed over silently as any other, and one that could is reported as skipped).
* **Screen** (:func:`screen`): CPython's own parser runs first (about a fifth of libcst's
  time; a millisecond on a settings module). What it rejects is not valid Python and is
  reported with CPython's message and position; what it cannot build (nesting too deep for
  the interpreter: RecursionError, MemoryError) is skipped without ever reaching libcst.
* **Time** (:func:`deadline`): the rest of the per-file work (libcst's Python side, settings
  collection, the rules, positions) runs under an interval timer; when it expires the file is
  abandoned and reported as skipped. :class:`OverBudget` derives from BaseException so that no
  ``except Exception`` in a rule can swallow it. Where there is no ``setitimer`` (Windows),
  outside the main thread, or when the process has armed its own interval timer, the time
  budget is not enforced (size and screen still are).

A skipped file is a :class:`~hardsess.lint.finding.Skipped`, not an error: the run goes on
and exits as if the file were not there, unless ``strict`` asks for exit 2.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import FrameType

    from hardsess.lint.finding import FileError

__all__ = [
    "DEFAULT_FILE_TIMEOUT",
    "DEFAULT_MAX_FILE_SIZE",
    "OverBudget",
    "Screened",
    "deadline",
    "parse_error",
    "screen",
]

#: Bytes; at this size libcst needs about 7 s and 400 MB (dense settings-like lines, one core
#: of a busy virtual machine). The largest settings modules of real projects are tens of KB.
DEFAULT_MAX_FILE_SIZE = 512 * 1024
#: Seconds of linting per file; an ordinary settings module takes a few milliseconds.
DEFAULT_FILE_TIMEOUT = 10.0


class OverBudget(BaseException):
    """Raised inside a file's linting when its time budget runs out."""


class Screened:
    """Why CPython's parser refused a file: ``skip`` when it is too deep for the interpreter
    (the file is skipped), else a syntax error at ``line``/``column`` (1-based; 0 unknown).

    A plain class, not a NamedTuple: this module loads in every linting process, and a
    NamedTuple costs a measurable part of the one-file pre-commit run to create.
    """

    __slots__ = ("column", "line", "reason", "skip")

    def __init__(self, reason: str, line: int = 0, column: int = 0, *, skip: bool = False):
        self.reason = reason
        self.line = line
        self.column = column
        self.skip = skip

    def error(self, path: str) -> FileError:
        """The syntax error as reported: one position, in the message and in the record."""
        return parse_error(path, self.reason, self.line, self.column)


def parse_error(path: str, message: str, line: int, column: int) -> FileError:
    """The error of a file that is not valid Python, with its one position (1-based, 0 when
    unknown) in the message and in the record (the GitHub and SARIF reporters point at it)."""
    from hardsess.lint.finding import FileError

    where = f" (line {line}, column {column})" if line else ""
    return FileError(path, f"cannot parse: {message}{where}", line, column)


#: How deep a syntax tree may be on Python 3.10, whose parser has no guard of its own (below).
MAX_DEPTH_310 = 2000


_TOO_DEEP = Screened("too deeply nested to lint (beyond what Python itself compiles)", skip=True)


def screen(data: bytes | str, path: str) -> Screened | None:
    """None when CPython parses ``data``; else why not (see the module doc)."""
    import ast
    import sys

    if sys.version_info < (3, 11):
        return _screen_310(data, path)
    try:
        compile(data, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        line = error.lineno or 0
        column = error.offset or 0
        return Screened(error.msg, line, column)
    except (RecursionError, MemoryError):
        return _TOO_DEEP
    except (ValueError, LookupError) as error:  # NUL bytes, an unknown coding cookie
        return Screened(str(error))
    return None


def _screen_310(data: bytes | str, path: str) -> Screened | None:
    """Python 3.10's parser recurses in C without a depth check: a 20,000-term sum or a long
    attribute chain overflows the C stack and kills the process (SIGSEGV), where 3.11 and later
    raise RecursionError. So on 3.10 the tree is built in a thread with a large stack, and its
    depth measured without recursion; past MAX_DEPTH_310 the file is skipped as too deep (libcst
    would crash on it too)."""
    import ast
    import threading

    result: list[Screened | None] = []

    def parse() -> None:
        try:
            tree = compile(data, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
        except SyntaxError as error:
            result.append(Screened(error.msg, error.lineno or 0, error.offset or 0))
            return
        except (RecursionError, MemoryError):
            result.append(_TOO_DEEP)
            return
        except (ValueError, LookupError) as error:
            result.append(Screened(str(error)))
            return
        stack = [(tree, 0)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH_310:
                result.append(_TOO_DEEP)
                return
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
        result.append(None)

    before = threading.stack_size(512 * 1024 * 1024)  # address space; only what is used is paid
    try:
        worker = threading.Thread(target=parse, name="hardsess-screen")
        worker.start()
    finally:
        threading.stack_size(before)
    worker.join()
    return result[0] if result else _TOO_DEEP


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`OverBudget` in the block once ``seconds`` have passed (0: no limit)."""
    import signal  # here, not at the top: only a process that lints a file needs it

    if seconds <= 0 or not hasattr(signal, "setitimer") or signal.getitimer(signal.ITIMER_REAL)[0]:
        # No budget asked, no interval timers (Windows), or the embedding program has armed
        # its own (pytest-timeout, a job runner): the alarm is theirs, so leave it alone.
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise OverBudget

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except ValueError:  # not the main thread (an embedding caller): no time budget there
        yield
        return
    try:  # armed inside: a budget so small it expires at once still restores the handler
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        try:  # disarm before restoring: a pending alarm must not reach the default handler
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)
