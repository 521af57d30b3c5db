"""Record a fixed set of the book's numbers, bit for bit, and compare two records.

A refactoring of ``epcore`` must not move a number. This script evaluates a listed set of
public calls (exact finite-N states, Gaussian balances, gaps, ramps, transients, the errata
reproducers) and stores every number they return as ``float.hex``; it compares two such
records and names every quantity that differs, however little. The figure data of
``python -m epcore figures --out DIR`` (one CSV per figure) can be compared too: there a
column counts as unchanged if a column with the same values exists under any name, so
renaming a column is not a change of a number.

    PYTHONPATH=. python tools/reference_numbers.py record before.json
    PYTHONPATH=. python tools/reference_numbers.py compare before.json after.json
    PYTHONPATH=. python tools/reference_numbers.py compare-figures FIGDIR_BEFORE FIGDIR_AFTER
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np


def _calls() -> dict[str, Callable[[], object]]:
    """The listed quantities: a name and a call of the public API (cheap, seconds in all)."""
    import qutip

    from epcore import cavity, dicke, dynamics, errata, gaussian, kerr, thermal, twophoton

    return {
        "kerr.critical_drive": kerr.critical_drive,
        "kerr.entropy_production(2,0.5)": lambda: kerr.entropy_production(2, 0.5),
        "kerr.entropy_production(5,1.0)": lambda: kerr.entropy_production(5, 1.0),
        "kerr.exact_moment(5,1.0,1,1)": lambda: kerr.exact_moment(5, 1.0, 1, 1),
        "kerr.linearized_branches(1.05)": lambda: kerr.linearized_branches(1.05),
        "kerr.two_branch_prediction(20,1.0)": lambda: kerr.two_branch_prediction(20, 1.0),
        "kerr.entropy_production_row(5,1.0)": lambda: kerr.entropy_production_row(5, 1.0),
        "kerr.peak_row(10)": lambda: kerr.peak_row(10),
        "kerr.pi_u_as_printed(5,1.0)": lambda: errata.pi_u_as_printed(kerr.steady_state(5, 1.0), 5),
        "kerr.liouvillian_gap(8,1.0)": lambda: kerr.liouvillian_gap(8, 1.0),
        "dicke.critical_coupling": dicke.critical_coupling,
        "dicke.misprinted_critical_coupling": errata.misprinted_critical_coupling,
        "dicke.entropy_production(0.3)": lambda: dicke.entropy_production(0.3),
        "dicke.entropy_production(0.9)": lambda: dicke.entropy_production(0.9),
        "dicke.entropy_production_batch(5 points)": lambda: dicke.entropy_production_batch(
            np.linspace(0.1, 1.2, 5)).columns(),
        "dicke.gamma_zero_limit": lambda: dicke.gamma_zero_limit([0.2, 0.8]).columns(),
        "twophoton.critical_drive": twophoton.critical_drive,
        "twophoton.entropy_production(6,1.2)": lambda: twophoton.entropy_production(6, 1.2),
        "twophoton.liouvillian_gap(6,1.2)": lambda: twophoton.liouvillian_gap(6, 1.2),
        "kerr.gap_row(6,1.0)": lambda: kerr.gap_row(6, 1.0),
        "dynamics.ramp(2,3.0)": lambda: dynamics.ramp(2, 3.0, n_out=20, n_jobs=1, progress=False),
        "cavity.transient_balance": lambda: cavity.transient_balance(
            cavity.driven_hamiltonian(12, 0.3, delta=1.0, chi=0.5),
            0.5,
            qutip.fock_dm(12, 0),
            np.linspace(0.0, 2.0, 5),
            progress=False,
        ),
        "gaussian.unitary_share_at_instability": lambda: gaussian.unitary_share_at_instability(
            2, 5
        ),
        "thermal.transition_scan(kerr)": lambda: thermal.transition_scan(
            "kerr", np.linspace(0.5, 1.5, 5), 0.1
        ),
    }


def _numbers(value: object, prefix: str, out: dict[str, str]) -> None:
    """Flatten ``value`` into ``out``: every number under a dotted name, as ``float.hex``."""
    if isinstance(value, complex | np.complexfloating):
        _numbers(value.real, prefix + ".re", out)
        _numbers(value.imag, prefix + ".im", out)
    elif isinstance(value, bool | np.bool_):
        out[prefix] = str(bool(value))
    elif isinstance(value, int | float | np.integer | np.floating):
        out[prefix] = float(value).hex()
    elif isinstance(value, np.ndarray):
        for i, item in enumerate(value.ravel()):
            _numbers(item.item(), f"{prefix}[{i}]", out)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _numbers(item, f"{prefix}.{key}", out)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _numbers(item, f"{prefix}[{i}]", out)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            _numbers(getattr(value, f.name), f"{prefix}.{f.name}", out)
        for name in ("pi", "phi", "residual"):
            if hasattr(type(value), name):
                _numbers(getattr(value, name), f"{prefix}.{name}", out)
    elif hasattr(value, "full"):  # a qutip.Qobj
        _numbers(np.asarray(value.full()), prefix, out)
    # strings, None and callables carry no number


def record(path: Path) -> None:
    """Evaluate every listed call and write its numbers to ``path`` (JSON)."""
    out: dict[str, str] = {}
    for name, call in _calls().items():
        _numbers(call(), name, out)
        print(f"  {name}", file=sys.stderr)
    path.write_text(json.dumps(out, indent=0, sort_keys=True))
    print(f"{len(out)} numbers written to {path}")


def _drop_renamed(name: str) -> str:
    """The key in lower case without ``.extra`` (``x.Pi`` meets ``x.pi``, ``x.extra.a`` ``x.a``)."""
    return name.lower().replace(".extra.", ".")


def compare(before: Path, after: Path) -> int:
    """Print every number that differs between two records; return how many."""
    a = json.loads(before.read_text())
    b = json.loads(after.read_text())
    b_lower = {_drop_renamed(k): v for k, v in b.items()}
    bad = 0
    for key, value in a.items():
        new = b.get(key, b_lower.get(_drop_renamed(key)))
        if new is None:
            print(f"MISSING {key}")
            bad += 1
        elif new != value:
            print(f"CHANGED {key}: {float.fromhex(value)!r} -> {float.fromhex(new)!r}")
            bad += 1
    print(f"{len(a)} numbers compared, {bad} missing or changed")
    return bad


def _columns(path: Path) -> list[tuple[str, ...]]:
    """The columns of a figure CSV, each as its tuple of value strings."""
    with path.open() as handle:
        rows = list(csv.reader(handle))
    return [tuple(col) for col in zip(*rows[1:], strict=True)] if len(rows) > 1 else []


def compare_figures(before: Path, after: Path) -> int:
    """Compare the CSVs of two figure folders column by column, names aside."""
    bad = 0
    for old in sorted(before.glob("*.csv")):
        new = after / old.name
        if not new.exists():
            print(f"MISSING figure data {old.name}")
            bad += 1
            continue
        fresh = set(_columns(new))
        lost = [col for col in _columns(old) if col not in fresh]
        if lost:
            print(f"CHANGED {old.name}: {len(lost)} column(s) without an equal column after")
            bad += 1
    print(f"{len(list(before.glob('*.csv')))} figure files compared, {bad} differ")
    return bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("record").add_argument("path", type=Path)
    for name in ("compare", "compare-figures"):
        cmd = sub.add_parser(name)
        cmd.add_argument("before", type=Path)
        cmd.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "record":
        record(args.path)
        return 0
    if args.command == "compare":
        return int(compare(args.before, args.after) > 0)
    return int(compare_figures(args.before, args.after) > 0)


if __name__ == "__main__":
    sys.exit(main())
