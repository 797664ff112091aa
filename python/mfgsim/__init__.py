"""mfgsim from Python: runs and batches as xarray Datasets.

    import mfgsim
    ds = mfgsim.run("scenarios/baseline.yaml", members=50, seed=1, member_values=True)
    ds["manufacturing_va_ytd_yoy_members"].quantile(0.5, dim="member")

A Dataset holds what results.nc holds (README "Batches and sweeps",
sim/output/results_layout.h): dimensions scenario, time, sector,
quantile_level (and member, parameter); each series as <name>(scenario,
time, quantile_level), <name>_mean and its standard error <name>_mean_se,
per sector <name>_by_sector...; the levers (carbon_price, retrofit_push,
long_term_growth, innovation_p, recycling_target) as series; each drawn
`uncertain:` value as draw_<path, dots as __>(scenario, member); with
member values <name>_members(scenario, time, member). The same inputs and
seed give the same numbers as `mfgsim run` / `mfgsim batch`, bit for bit,
for any thread count.

Errors: a bad scenario or batch file raises ScenarioError, whose message is
every problem as file:line:col: error: ... (and .diagnostics lists them);
a bad argument raises ValueError or TypeError; a run that fails (every
member stopped by a numerical guard, NaN in a summary) raises RunError.
Runs compute with the GIL released. Ctrl-C stops a run called from the main
thread at its next block of members and raises KeyboardInterrupt (Python
runs signal handlers on the main thread only).
"""

import json
import numbers
import os
import shutil
import tempfile
import warnings
from collections import namedtuple
from pathlib import Path

import numpy as np
import xarray as xr

from . import _mfgsim

__all__ = ["run", "batch", "open_results", "validate", "schema", "Diagnostic", "ScenarioError", "ScenarioWarning",
           "RunError",
           "__version__"]
__version__ = _mfgsim.version

#: One problem in an input file: 1-based line and column (0 when unknown).
Diagnostic = namedtuple("Diagnostic", ["file", "line", "column", "message"])

RunError = _mfgsim.RunError


class ScenarioWarning(UserWarning):
    """A warning about a valid scenario or batch file (e.g. a lever changed
    inside the calibrated window), as `file:line:col: warning: ...`."""


class ScenarioError(ValueError):
    """A scenario or batch file (or dict) that mfgsim rejects; the message is
    every problem as `file:line:col: error: ...`, `diagnostics` lists them."""

    def __init__(self, diagnostics, formatted):
        super().__init__("\n".join(formatted))
        self.diagnostics = diagnostics


def _diagnostics(raw):
    return [Diagnostic(f, line, col, message) for f, line, col, message, _ in raw]


def _warn_about_inputs(reply):
    # The input files' warnings, as the CLI prints them (a valid input that runs).
    for text in reply.get("warnings", []):
        warnings.warn(text, ScenarioWarning, stacklevel=3)


def _raise_if_bad(reply):
    # Problems of an argument (the library names them as the CLI's options,
    # file "mfgsim", e.g. "--out DIR: ..."): ValueError naming the argument.
    options = [d[3][2:] if d[3].startswith("--") else d[3] for d in reply["diagnostics"] if d[0] == "mfgsim"]
    files = [d for d in reply["diagnostics"] if d[0] != "mfgsim"]
    if files:
        raise ScenarioError(_diagnostics(files), [d[4] for d in files] + [f"mfgsim: error: {o}" for o in options])
    if options or reply["option_error"]:
        raise ValueError("\n".join(options + ([reply["option_error"]] if reply["option_error"] else [])))


def _integer(name, value, low, high, optional=True):
    # The CLI's ranges (README "One range per value"), in its words.
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if value < low or value > high:
        raise ValueError(f"{name} must be in [{low}, {high}], got {value}")
    return value


def _ensemble_options(members, seed, threads, summary_memory):
    """The options run and batch share, checked as the CLI checks them."""
    return (_integer("members", members, 1, 10_000_000), _integer("seed", seed, 0, 2**64 - 1),
            _integer("threads", threads, 0, 1024, optional=False),
            _integer("summary_memory", summary_memory, 1, 2**24, optional=False))


def _flag(name, value):
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def _dataset(results):
    """The raw variables as stored in results.nc, then decoded as
    xarray.open_dataset decodes the file (CF time, NaN fill, coordinates)."""
    sizes = dict(results["dims"])
    variables = {}
    for var in results["variables"]:
        shape = tuple(sizes[d] for d in var["dims"])
        if var["type"] == "str":
            data = np.empty(len(var["data"]), dtype=object)
            data[:] = var["data"]
        else:
            data = var["data"]
        attrs = dict(var["attrs"])
        if var["fill_nan"]:
            attrs["_FillValue"] = np.nan
        variables[var["name"]] = xr.Variable(var["dims"], data.reshape(shape), attrs)
    raw = xr.Dataset(variables, attrs=dict(results["attrs"]))
    return xr.decode_cf(raw).load()


def run(scenario, *, members=None, seed=None, outputs=None, deterministic=False, threads=0,
        member_values=False, base_dir=None, summary_memory=1024):
    """Runs a scenario's ensemble; returns the Dataset `mfgsim run` writes as results.nc.

    scenario: a scenario file (str or path-like), or a dict in the scenario
        schema (scenarios/SCHEMA.md; `extends` and data paths resolve
        against `base_dir`, default the working folder).
    members: ensemble members (default: the scenario's ensemble.members), 1 .. 10,000,000.
    seed: random seed >= 0 (default: the scenario's ensemble.seed). The
        random streams are keyed by the seed alone: runs with the same seed
        are paired (member k of each draws the same shocks and `uncertain`
        values, as in a batch), so member-by-member differences isolate what
        the scenarios change.
    outputs: series names to summarise, or "all" (default: the scenario's `outputs:`).
    deterministic: shocks and parameter draws off, one member (MODEL.md's run).
    threads: worker threads, 0 = all cores; the numbers do not depend on it.
    member_values: also every member's value of every selected series
        (`<name>_members`, dimension `member`), as `mfgsim run --keep-members`.
    summary_memory: MiB of member values held for exact quantiles; beyond
        it, sketches with 0.1% relative error.
    """
    members, seed, threads, summary_memory = _ensemble_options(members, seed, threads, summary_memory)
    deterministic = _flag("deterministic", deterministic)
    member_values = _flag("member_values", member_values)
    if deterministic and members is not None:
        raise ValueError("deterministic runs exactly one member; do not combine it with members")
    if outputs is not None:
        if isinstance(outputs, str):
            if outputs != "all":
                raise TypeError(f"outputs must be a list of series names or 'all', got {outputs!r}")
            outputs = []
        else:
            outputs = list(outputs)
            if not outputs or not all(isinstance(o, str) for o in outputs):
                raise TypeError(f"outputs must be a non-empty list of series names or 'all', got {outputs!r}")
    if isinstance(scenario, dict):
        base = os.fspath(base_dir) if base_dir is not None else os.getcwd()
        if not os.path.isdir(base):
            raise FileNotFoundError(f"base_dir: no folder {base}")
        text = json.dumps(scenario, indent=2, ensure_ascii=False) + "\n"
        path, name = "", "<scenario dict>"
    elif isinstance(scenario, (str, os.PathLike)):
        if base_dir is not None:
            raise TypeError("base_dir is for a dict scenario; a scenario file's paths resolve against its own folder")
        path, text, name, base = os.fspath(scenario), "", "", ""
    else:
        raise TypeError(f"scenario must be a file path or a dict, got {type(scenario).__name__}")
    reply = _mfgsim.run(path, text, name, base, members, seed, outputs, deterministic, threads, member_values,
                        summary_memory)
    _raise_if_bad(reply)
    _warn_about_inputs(reply)
    if reply["warning"]:
        warnings.warn(reply["warning"], RuntimeWarning, stacklevel=2)
    return _dataset(reply["results"])


def open_results(directory):
    """The Dataset of a results folder of `mfgsim run` or `mfgsim batch`
    (its results.nc), loaded into memory."""
    if not isinstance(directory, (str, os.PathLike)):
        raise TypeError(f"directory must be a results folder path, got {type(directory).__name__}")
    if os.fspath(directory) == "":
        raise ValueError("directory must name a results folder, got ''")
    path = Path(directory) / "results.nc"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no results.nc (expected a results folder of mfgsim run or mfgsim batch)")
    with xr.open_dataset(path) as ds:
        return ds.load()


def batch(path, *, out=None, members=None, seed=None, threads=0, keep_members=False, summary_memory=256,
          resume=False):
    """Runs a batch file as `mfgsim batch` does; returns its results.nc as a Dataset.

    out: the result folder to write (summary.csv, results.nc, scenarios.csv,
        manifest.json), checked like `--out`; default: a temporary folder,
        removed once the results are loaded.
    members, seed: every scenario's (default: the batch's, else each scenario's).
    keep_members: every member's every series (results.nc `_members`
        variables of every selected series).
    resume: continue from the checkpoint of an interrupted batch into `out`.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a batch file path, got {type(path).__name__}")
    members, seed, threads, summary_memory = _ensemble_options(members, seed, threads, summary_memory)
    keep_members = _flag("keep_members", keep_members)
    resume = _flag("resume", resume)
    if resume and out is None:
        raise ValueError("resume needs the out folder of the interrupted batch")
    if out is not None:
        if not isinstance(out, (str, os.PathLike)):
            raise TypeError(f"out must be a folder path, got {type(out).__name__}")
        if os.fspath(out) in ("", b""):
            raise ValueError("out must name a folder (got an empty path)")
    temporary = None
    if out is None:
        temporary = tempfile.mkdtemp(prefix="mfgsim-batch-")
        out = os.path.join(temporary, "result")
    try:
        reply = _mfgsim.batch(os.fspath(path), os.fspath(out), members, seed, threads, keep_members, summary_memory,
                              resume)
        _raise_if_bad(reply)
        _warn_about_inputs(reply)
        return open_results(out)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def validate(path):
    """A scenario or batch file's problems, [Diagnostic(file, line, column,
    message)]; empty when the file is valid (`mfgsim validate`; a batch file is
    a map with `scenarios` or `sweeps`). Its warnings (a valid file) are given
    as mfgsim.ScenarioWarning, with the text `mfgsim validate` prints."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a scenario or batch file path, got {type(path).__name__}")
    if os.fspath(path) == "":
        raise ValueError("path must name a scenario or batch file, got ''")
    reply = _mfgsim.validate(os.fspath(path))
    _warn_about_inputs(reply)  # as `mfgsim validate` prints them, e.g. a lever changed in the calibrated window
    return _diagnostics(reply["diagnostics"])


def schema():
    """The documented scenario schema, Markdown (scenarios/SCHEMA.md, `mfgsim schema`)."""
    return _mfgsim.schema()
