"""momentum: exact convergence rates of gradient descent and momentum methods on convex quadratics.

The library behind the ``momentum`` command-line tool, in-process: each function takes the
tool's options as keyword arguments, runs the same command (with ``--json``) and returns the
JSON object the tool prints, as a dict with the same keys and the same decimal strings::

    >>> import momentum
    >>> r = momentum.rate(method="heavy-ball", alpha="4/121", beta="81/121", mu=1, L=100)
    >>> r["spectral_radius"]
    '0.8181818181818182'

Keyword arguments (the tool's ``--help`` lists each subcommand's options):

* ``name=value`` is ``--name=VALUE``, underscores as dashes (``x_prev`` is ``--x-prev``,
  ``L`` is ``--L``). ``flag=True`` is ``--flag``; ``False`` or ``None`` leaves an option out.
* Numbers: ``int`` as is; ``str`` as given (``"4/121"``, ``"0.1"``, ``"1e-4"``: read exactly
  into the working precision, as on the command line); ``fractions.Fraction`` as ``p/q``;
  ``decimal.Decimal`` as its decimal text; ``float`` (and numpy scalars) as ``repr(float)``,
  the shortest decimal that reads back as the same double: ``0.1`` is the decimal 0.1, not the
  double nearest it, which matters only with ``digits`` above 17. ``bool`` is refused
  (``TypeError``) where a number is expected.
* Lists (``eigenvalues``, ``x0``, ``at``, ...): a sequence or a 1-D numpy array, each entry a
  number as above. Ranges (landscape's ``alpha``/``eta``/``beta``): ``"LO:HI"`` or a pair.
  A repeatable option (landscape's ``mark``): a list of values, each a string or a pair.
* The problem in memory: ``Q=`` a numpy 2-D array (float64 in C or Fortran order is read in
  place, without a copy; other dtypes and strided arrays are converted once) or a
  ``scipy.sparse`` matrix, instead of ``matrix="Q.mtx"``; ``c=`` an array instead of
  ``linear="c.npy"``. ``Q=`` any object with ``shape`` and ``matvec`` (a
  ``scipy.sparse.linalg.LinearOperator``, ``momentum.torch.hessian_operator``): its extreme
  eigenvalues from products alone (Lanczos), widened by their residuals, become the interval
  ``mu``, ``L`` (rate, optimal, landscape); the result's ``"extremes"`` says how, with
  ``"certified": false`` (Lanczos could miss an eigenvalue beyond the ones it found).

The tool's progress indicator (stderr, for runs over a second) is off unless ``quiet=False``:
it costs a thread per call (about 100 microseconds).

``momentum.values(result)`` gives the same result with its decimal strings as numbers: floats
(and numpy arrays for lists, a dict of arrays for simulate's checkpoints) when computed in
double, ``mpmath.mpf`` at the result's digits above 17.

Errors: bad input raises ``ValueError`` with the tool's message (``TypeError`` for a Python
value of the wrong type); a numerical or I/O failure raises ``RuntimeError``; the exception's
``argument`` attribute is the option it names (or None). ``verify`` returns its result when
the theory fails (``result["holds"]`` is False) instead of raising. The computation runs with
the GIL released; Ctrl-C stops it with ``KeyboardInterrupt`` (at its next progress point).
"""

import decimal as _decimal
import fractions as _fractions
import json as _json
import numbers as _numbers
import threading as _threading

from . import _momentum, _operator
from ._values import values

__all__ = ["rate", "optimal", "verify", "simulate", "landscape", "run", "values"]

try:  # numpy and scipy are optional: only arrays need them
    import numpy as _np
except ImportError:  # pragma: no cover
    _np = None


def _sparse_module():
    try:
        import scipy.sparse as sp
    except ImportError:  # pragma: no cover
        return None
    return sp


# Python names that differ from the tool's options.
_ALIASES = {"Q": "matrix", "c": "linear"}
# Options that take a matrix or a vector held in memory.
_MEMORY = {"matrix": "Q", "linear": "c"}
_options_cache = {}


def _options(command):
    opts = _options_cache.get(command)
    if opts is None:
        opts = _options_cache[command] = _momentum.options(command)
    return opts


def _number(name, value):
    """The text of one number."""
    kind = type(value)  # the common exact types first (bool is not int here)
    if kind is str:
        return value
    if kind is int:
        return str(value)
    if kind is float:
        return repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or (_np is not None and isinstance(value, _np.bool_)):
        raise TypeError(f"{name}: expected a number, got a bool ({value!r})")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, _fractions.Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, _decimal.Decimal):
        return str(value)
    if _np is not None and isinstance(value, _np.integer):
        return str(int(value))
    if _np is not None and isinstance(value, _np.floating):
        return repr(float(value))
    if isinstance(value, _numbers.Rational):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, _numbers.Real):
        return repr(float(value))
    raise TypeError(f"{name}: expected a number (int, float, str, Fraction or Decimal), "
                    f"got {type(value).__name__}")


def _is_sequence(value):
    if isinstance(value, (list, tuple, range)):
        return True
    return _np is not None and isinstance(value, _np.ndarray)


def _list(name, value, separator=","):
    if _np is not None and isinstance(value, _np.ndarray):
        if value.ndim != 1:
            raise ValueError(f"{name}: expected a 1-D array, got shape {value.shape}")
        value = value.tolist()
    return separator.join(_number(name, v) for v in value)


def _matrix_arg(name, value, dense, sparse):
    """Registers an in-memory matrix or vector under a reserved name; returns that name."""
    key = f"<{name}: in memory>"
    sp = _sparse_module()
    if sp is not None and sp.issparse(value):
        if len(value.shape) != 2:
            raise ValueError(f"{name}: expected a 2-D sparse matrix, got shape {value.shape}")
        coo = value.tocoo()
        key = f"<{name}: scipy.sparse {type(value).__name__}>"
        sparse[key] = (int(coo.shape[0]), int(coo.shape[1]), coo.row.astype(_np.int64),
                       coo.col.astype(_np.int64), coo.data.astype(_np.float64, copy=False))
        return key
    if _np is None:
        raise TypeError(f"{name}: arrays need numpy")
    if isinstance(value, _np.ndarray):
        array = value
    elif hasattr(value, "__array__") or _is_sequence(value):
        array = _np.asarray(value)
    else:
        raise TypeError(f"{name}: expected a numpy array, a scipy.sparse matrix or a file name, "
                        f"got {type(value).__name__}")
    if array.dtype.kind not in "fiu":
        raise TypeError(f"{name}: expected real numbers, got dtype {array.dtype}")
    want = 2 if name == "Q" else 1
    if array.ndim != want and not (want == 1 and array.ndim == 2 and 1 in array.shape):
        raise ValueError(f"{name}: expected a {want}-D array, got shape {array.shape}")
    if array.dtype != _np.float64 or not (array.flags.c_contiguous or array.flags.f_contiguous):
        array = _np.ascontiguousarray(array, dtype=_np.float64)  # the one conversion
    key = f"<{name}: numpy {array.shape[0]}x{array.shape[1] if array.ndim == 2 else 1} array>"
    dense[key] = array
    return key


def _argv(command, kwargs, dense, sparse):
    opts = _options(command)
    args = [command]
    for key, value in kwargs.items():
        name = _ALIASES.get(key, key).replace("_", "-")
        spec = opts.get(name)
        if name == "json" or value is None or (value is False and (spec is None or spec[1])):
            continue  # --json: always given; None and False: left out
        if spec is None:
            args.append("--" + name)  # unknown: the tool names the closest option
            continue
        type_name, flag, repeatable = spec
        if flag:
            if value is not True:
                raise TypeError(f"{key}: a flag takes True, False or None, got {value!r}")
            args.append("--" + name)
            continue
        if name in _MEMORY and not isinstance(value, str):
            args.append(f"--{name}={_matrix_arg(_MEMORY[name], value, dense, sparse)}")
            continue
        if repeatable and isinstance(value, (list, tuple)):
            for item in value:
                text = item if isinstance(item, str) else _list(key, item)
                args.append(f"--{name}={text}")
            continue
        if _is_sequence(value):
            if ":" in type_name:
                if len(value) != 2:
                    raise ValueError(f"{key}: a range is two numbers (LO, HI), got {len(value)}")
                text = _list(key, value, ":")
            elif type_name == "LIST":
                text = _list(key, value)
            else:
                raise TypeError(f"{key}: expected one value ({type_name}), "
                                f"got a {type(value).__name__}")
        else:
            text = _number(key, value)
        args.append(f"--{name}={text}")
    if "quiet" not in kwargs and "quiet" in opts:
        args.append("--quiet")  # no progress lines on stderr unless quiet=False
    args.append("--json")
    return args


def _error(status, document, err):
    message = document.get("error") if isinstance(document, dict) else None
    if message is None:
        message = err.strip() or f"momentum exited with status {status}"
    exc = ValueError(message) if status == 2 else RuntimeError(message)
    exc.argument = document.get("argument") if isinstance(document, dict) else None
    return exc


def run(command, **kwargs):
    """Runs ``momentum COMMAND`` with the options ``kwargs`` (see the module's help) and
    returns its JSON output as a dict."""
    dense, sparse = {}, {}
    operator = None
    for key in ("Q", "matrix"):
        value = kwargs.get(key)
        sp = _sparse_module() if value is not None else None
        if value is not None and not (sp is not None and sp.issparse(value)) \
                and _operator.is_operator(value):
            if "mu" not in _options(command):
                raise TypeError(f"{key}: {command} needs Q's entries (an array or a sparse "
                                f"matrix), not a linear operator")
            operator = _operator.extremes(value)
            kwargs = {k: v for k, v in kwargs.items() if k != key}
            kwargs["mu"] = operator["lambda_min"]["enclosure"][0]
            kwargs["L"] = operator["lambda_max"]["enclosure"][1]
    args = _argv(command, kwargs, dense, sparse)
    status, document, out, err, interrupted = _momentum.run(
        args, dense, sparse, _threading.get_ident() == _threading.main_thread().ident)
    if interrupted:
        raise KeyboardInterrupt
    if document is None:  # printed as text: errors, simulate's streamed rows
        text = out.decode("utf-8", "replace")
        try:
            document = _json.loads(text) if text.strip() else None
        except ValueError:
            document = text
    if status in (0, 1):
        if operator is not None and isinstance(document, dict):
            document["extremes"] = operator
        return document
    raise _error(status, document, err.decode("utf-8", "replace"))


def rate(**kwargs):
    """Worst-case rate of a method on a problem (``momentum rate``): spectral radius, regimes,
    convergence interval, iterations to a tolerance, transient peak.

    Keywords: method ("gd", "heavy-ball", "velocity", "nesterov"; and the tool's other
    methods), alpha or eta (step), beta (momentum) and the tool's other method parameters; the
    problem: eigenvalues (a list), mu and L (an interval), or Q (a numpy array, a
    scipy.sparse matrix, or matrix="Q.mtx"/"Q.npy") with c (linear term), constant, path
    ("auto", "dense", "extremes"); all (every eigenvalue), tol (default "1e-6"), x0 (a start),
    noise (gradient noise sigma), digits (up to 17: double; more: MPFR), quiet.
    Returns the dict ``momentum rate --json`` prints."""
    return run("rate", **kwargs)


def optimal(**kwargs):
    """Optimal tunings of a method (or method="all") on a problem (``momentum optimal``), with
    their fragility.

    Keywords: method, the problem (eigenvalues, mu and L, Q with c and constant, path), tol,
    digits, quiet. Returns the dict ``momentum optimal --json`` prints."""
    return run("optimal", **kwargs)


def verify(**kwargs):
    """Runs a method in high precision and checks the predicted rate against it
    (``momentum verify``; 30 digits unless digits is given).

    Keywords: method, alpha/eta, beta, the problem (eigenvalues, or Q with c and constant),
    x0, x_prev, v0 (the start), steps (default 10000), rho and jordan (a claimed rate and
    Jordan block size to test), measure ("state" or "x"), plot (a file), digits, force, quiet.
    Returns the dict ``momentum verify --json`` prints, also when the theory fails
    (result["holds"] is False)."""
    return run("verify", **kwargs)


def simulate(**kwargs):
    """Runs a method from a start and returns its iterates (``momentum simulate``).

    Keywords: method, alpha/eta, beta, the problem (eigenvalues, or Q with c and constant),
    x0 (required), x_prev, v0, steps (required), at (checkpoints), output and plot (files),
    digits, force, quiet. Returns the dict ``momentum simulate --json`` prints (None when
    output names a file)."""
    return run("simulate", **kwargs)


def landscape(**kwargs):
    """Spectral radius over a grid of (step, beta) (``momentum landscape``): the summary.

    Keywords: method ("heavy-ball", "velocity", "nesterov": alpha/eta and beta as ranges,
    "LO:HI" or a pair; "general", "pytorch", "qhm": any two of their parameters as ranges, the
    others as values, e.g. lr=(0.001, 0.1), momentum=(0, 0.99), dampening=0.1), grid (N or "NxM"), scale and beta_scale ("auto", "linear", "log"),
    the problem (eigenvalues, mu and L, Q with c and constant), output (CSV file), plot
    (heatmap), mark (points), digits, force, quiet. Returns the dict
    ``momentum landscape --json`` prints."""
    return run("landscape", **kwargs)


def __getattr__(name):
    # momentum.torch is imported on first use: torch is heavy and optional.
    if name == "torch":
        import importlib
        return importlib.import_module(".torch", __name__)
    raise AttributeError(f"module 'momentum' has no attribute {name!r}")
