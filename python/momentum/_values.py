"""momentum.values: a result's decimal strings as Python numbers."""

import re

_DECIMAL = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(inf|nan)$")


def values(result, digits=None):
    """A copy of a result (the dict a function returns) with every decimal string as a number:
    ``float`` when it was computed in double (``result["digits"]`` <= 17), ``mpmath.mpf`` (at
    ``digits`` decimal digits) above; lists of numbers as numpy float arrays (in double) and
    a list of rows with the same keys (simulate's ``checkpoints``) as a dict of such arrays.
    Text (regimes, notes, descriptions) stays text; the result itself is not changed."""
    if digits is None:
        digits = result.get("digits", 17) if isinstance(result, dict) else 17
    if digits > 17:
        import mpmath

        def number(text):
            with mpmath.workdps(digits + 5):
                return mpmath.mpf(text)
    else:
        number = float
    import numpy as np

    def convert(v):
        if isinstance(v, str):
            return number(v) if _DECIMAL.match(v) else v
        if isinstance(v, dict):
            return {k: convert(x) for k, x in v.items()}
        if isinstance(v, list):
            items = [convert(x) for x in v]
            if items and all(isinstance(x, dict) for x in items) and \
                    all(x.keys() == items[0].keys() for x in items):
                return {k: _array([x[k] for x in items], number) for k in items[0]}
            return _array(items, number)
        return v

    def _array(items, number):
        if number is float and items and all(
                isinstance(x, (int, float, np.ndarray)) and not isinstance(x, bool) for x in items):
            try:
                return np.array(items, dtype=np.float64)
            except ValueError:  # ragged
                return items
        return items

    return convert(result)
