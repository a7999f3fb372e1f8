"""Backends: the checked statute (compiler.model.ir) -> what people run or read.

`python` writes one standalone Python module per statute; `runtime` is the small library that module carries inside
it (durations, rounding, errors, the trace, case reading).
"""
