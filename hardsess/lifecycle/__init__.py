"""The session lifecycle: idle and absolute timeouts, key cycling, logout revocation.

Being split into modules (issue 13); importing the package imports nothing.
"""
