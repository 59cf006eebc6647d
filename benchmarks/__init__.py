"""Benchmarks run by ``make bench``: each module here with a ``main()`` is one benchmark.

Every benchmark runs its baseline side by side with hardsess in the same run and reports
medians and ratios, because these machines are noisy; none of them is a test.
"""
