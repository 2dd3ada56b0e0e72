"""Speed benchmarks (``make bench``): timings printed, targets checked, not part of the tests."""
