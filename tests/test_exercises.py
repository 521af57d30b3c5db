"""The exercise checks of the book (:mod:`epcore.exercises`) and the exercises themselves.

- Every stored answer is recomputed here by a route independent of the one that produced it
  (a closed form against an ``epcore`` call, or another ``epcore`` call), and must agree within
  the tolerance of a *right* answer.
- :func:`epcore.exercises.check` tells a right, a close and a wrong value apart, prints "no
  answer yet" for the placeholder ``...`` (and ``None``) without raising, and never prints the
  stored answer: its output does not depend on the stored value.
- Every label in the data file is an exercise of a chapter, marked "answer checked", followed
  by its check cell outside any solution (so the cell stays in the student edition); every
  chapter has at least six exercises, each with a difficulty and an expected time.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest
import qutip
import scipy.linalg
import scipy.optimize

from epcore import cavity, dicke, exercises, gaussian, kerr, thermal, twophoton
from epcore.phasespace import entropy_balance, wehrl_entropy
from tools import myst_blocks

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((REPO / "chapters").glob("[0-9][0-9]_*.md"))
MARKER = "answer checked"
DIFFICULTY = re.compile(r"^\*Difficulty: [★☆]{3} · about \d+ min")

RESONANT = kerr.PAPER.replace(delta=0.0, kappa=0.5, u=1.0)
LAMBDA_C = dicke.critical_coupling()


def _kerr_linearized_phi_q(eps: float) -> float:
    """Phi_q of the upper Kerr branch: drift built here by hand, SciPy's Lyapunov solver."""
    m = kerr.PAPER
    branch = max((b for b in kerr.mean_field(eps) if b.stable), key=lambda b: b.n)
    alpha, w = branch.alpha, m.delta + 2 * m.u * branch.n

    def d_da(da: complex) -> complex:  # linearized mean-field equation for the fluctuation
        return -(m.kappa + 1j * w) * da - 1j * m.u * alpha**2 * np.conj(da)

    # quadratures q = sqrt(2) Re(da), p = sqrt(2) Im(da); columns are the images of q and p
    cols = [d_da(1 / np.sqrt(2)), d_da(1j / np.sqrt(2))]
    A = np.array([[np.sqrt(2) * c.real for c in cols], [np.sqrt(2) * c.imag for c in cols]])
    s = scipy.linalg.solve_continuous_lyapunov(A, -m.kappa * np.eye(2))
    return m.kappa * (np.trace(s + np.eye(2) / 2) - 2)


def _pure_gaussian_trace(r: float, theta: float) -> float:
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    s = 0.5 * rot @ np.diag([np.exp(-2 * r), np.exp(2 * r)]) @ rot.T
    return float(np.trace(np.linalg.inv(s + np.eye(2) / 2)))


def _engine_negative_threshold(r: float, kappa: float) -> float:
    # Pi is affine in g: two engine evaluations give its root
    pis = [entropy_balance(cavity.squeezed_vacuum(r, 80), cavity.squeezing_hamiltonian(80, g),
                           kappa).pi for g in (0.0, 1.0)]
    return -pis[0] / (pis[1] - pis[0]) / kappa


def _squeezed_thermal_match(r: float) -> float:
    target = cavity.wehrl_squeezed(r)
    return scipy.optimize.brentq(lambda n: cavity.wehrl_thermal(n) - target, 0.0, 10.0,
                                 xtol=1e-14)


def _telegraph(up: float, down: float) -> list[float]:
    rates = np.array([[-up, down], [up, -down]])  # generator of (p_lower, p_upper)
    vals, vecs = np.linalg.eig(rates)
    order = np.argsort(np.abs(vals))
    stationary = np.real(vecs[:, order[0]] / vecs[:, order[0]].sum())
    return [float(1 / abs(vals[order[1]])), float(stationary[1])]


def _threshold_limit(kappa: float = 0.5, delta: float = 1e-7) -> float:
    g = kappa - delta
    b = gaussian.gaussian_balance(gaussian.hamiltonian_drift(cavity.quadratic_G(0.0, g)),
                                  [kappa])
    return delta * b.phi_q


def _ep_scaling() -> float:
    E, kappa = 2.0, 0.5
    d = int((E / kappa) ** 2 + 12 * E / kappa + 25)
    H = cavity.driven_hamiltonian(d, E)
    return entropy_balance(cavity.steady_state(H, kappa), H, kappa).pi


def _twophoton_channels(g: float, n_bath: float) -> tuple:
    """Drift and the one thermal channel of the two-photon fluctuations below G_c."""
    A_H = gaussian.hamiltonian_drift(twophoton.fluctuation_matrix(0j, g))
    return A_H, [[twophoton.PAPER.kappa / 2]], [[n_bath]]


RECOMPUTE = {
    "ex-wehrl-fock": lambda: wehrl_entropy(qutip.fock_dm(40, 3)),
    "ex-wehrl-odd-cat": lambda: wehrl_entropy(cavity.cat(0.02, 60, parity=-1)),
    "ex-wehrl-gap": lambda: cavity.wehrl_thermal(1e7) - cavity.thermal_entropy(1e7),
    "ex-wehrl-husimi-grid": lambda: wehrl_entropy(qutip.thermal_dm(60, 1.0)),
    "ex-wehrl-squeezed-thermal": lambda: _squeezed_thermal_match(1.0),
    "ex-wehrl-heterodyne": lambda: qutip.expect(
        qutip.destroy(60) * qutip.create(60), cavity.cat(2.0, 60)),
    "ex-ep-scaling": _ep_scaling,
    "ex-ep-hot-bath": lambda: cavity.thermal_loss_rates(
        qutip.thermal_dm(60, 0.5), 0.5, 2.0)["dS_dt"],
    "ex-ep-negative": lambda: _engine_negative_threshold(0.2, 0.5),
    "ex-ep-thermal-relax": lambda: entropy_balance(
        qutip.thermal_dm(60, 1.0), qutip.qzero(60), 0.5).pi,
    "ex-tl-rational": lambda: kerr.linearized_branches(0.5, model=RESONANT)[0].pi_d,
    "ex-tl-threshold": _threshold_limit,
    "ex-tl-pure-trace": lambda: _pure_gaussian_trace(0.7, 0.3),
    "ex-tl-lyapunov": lambda: gaussian.gaussian_balance(
        gaussian.hamiltonian_drift(cavity.quadratic_G(1.0, 0.4)), [0.5]).phi_q,
    "ex-tl-gaussian-wehrl": lambda: kerr.linearized_branches(
        0.5, model=RESONANT)[0].wehrl,
    "ex-kerr-stability": lambda: list(kerr.bistability_window()),
    "ex-kerr-detuning": lambda: list(kerr.bistability_window(
        model=kerr.PAPER.replace(delta=-1.0))),
    "ex-kerr-branches": lambda: max(b.n for b in kerr.mean_field(1.0) if b.stable),
    "ex-kerr-linearized": lambda: _kerr_linearized_phi_q(1.0),
    "ex-dicke-lc": lambda: dicke.critical_coupling(),
    "ex-dicke-ext": lambda: dicke.entropy_production(1.5 * LAMBDA_C).pi_ext,
    "ex-dicke-superradiant": lambda: [dicke.mean_field(2 * LAMBDA_C).w,
                                      abs(dicke.mean_field(2 * LAMBDA_C).alpha) ** 2],
    "ex-dicke-bad-cavity": lambda: dicke.critical_coupling(
        model=dicke.PAPER.replace(kappa=2.0)),
    "ex-dyn-liouvillian": lambda: kerr.liouvillian_gap(2, 1.0),
    "ex-dyn-jumps": lambda: sum(1 / (2 * 0.5 * k) for k in range(1, 6)),
    "ex-dyn-telegraph-time": lambda: _telegraph(0.02, 0.06),
    "ex-open-paramp": lambda: twophoton.linearized_branches(0.4)[0].phi_q,
    "ex-open-amplitudes": lambda: [
        float(1e-7 * twophoton.gaussian_scan([1 + s * 1e-7])["pi_d"][0]) for s in (-1, 1)],
    "ex-open-cusp": lambda: twophoton.gaussian_scan([1 + 1e-9])["pi_u"][0],
    "ex-open-mixture": lambda: max(b.n for b in twophoton.mean_field(1.0) if b.stable),
    "ex-open-warm": lambda: thermal.divergence_amplitude_ratio(
        *_twophoton_channels(0.5 * (1 - 1e-6), 2.0)),
}


def test_every_answer_has_an_independent_recomputation():
    assert set(RECOMPUTE) == set(exercises.labels())


@pytest.mark.parametrize("label", sorted(RECOMPUTE))
def test_stored_answer_is_recomputed(label):
    value = RECOMPUTE[label]()
    assert exercises.verdict(label, value) == "right", (label, value)


# ------------------------------------------------------------------------------ check()


def _close_and_wrong(ans: exercises.Answer) -> tuple[list[float], list[float]]:
    factor = 1 + 0.5 * (ans.rtol + ans.close_rtol)
    close = [v * factor for v in ans.value]
    wrong = [v * (1 + 10 * ans.close_rtol) + 1 for v in ans.value]
    return close, wrong


def _shape(ans: exercises.Answer, values: list[float]):
    return values[0] if ans.scalar else values


@pytest.mark.parametrize("label", exercises.labels())
def test_check_classifies_right_close_wrong_missing(label):
    ans = exercises.answers()[label]
    close, wrong = _close_and_wrong(ans)
    assert exercises.verdict(label, _shape(ans, list(ans.value))) == "right"
    assert exercises.verdict(label, _shape(ans, close)) == "close"
    assert exercises.verdict(label, _shape(ans, wrong)) == "wrong"
    assert exercises.verdict(label, ...) == "missing"
    assert exercises.verdict(label, None) == "missing"
    assert exercises.verdict(label, "not a number") == "wrong"
    assert exercises.verdict(label, [1.0] * (len(ans.value) + 1)) == "wrong"
    if ans.scalar:
        assert exercises.verdict(label, np.float64(ans.value[0])) == "right"


def test_check_needs_a_known_label():
    with pytest.raises(ValueError, match="no stored answer"):
        exercises.check("ex-no-such-exercise", 1.0)


@pytest.mark.parametrize("label", exercises.labels())
def test_check_never_prints_the_answer(label, capsys, monkeypatch):
    ans = exercises.answers()[label]
    close, wrong = _close_and_wrong(ans)
    trials = [list(ans.value), close, wrong, None]
    printed = []
    for trial in trials:
        exercises.check(label, ... if trial is None else _shape(ans, trial))
        printed.append(capsys.readouterr().out)
    assert "no answer yet" in printed[3]
    assert printed[0].splitlines()[-1].strip() == "right"  # the verdict, on its own line
    verdicts = [text.splitlines()[-1].strip() for text in printed]  # the verdict's own line
    assert verdicts[1].startswith("close,") and verdicts[2].startswith("wrong:")
    for text in printed:
        for v in ans.value:
            for shown in (format(v, ".3g"), format(v, ".4g"), format(v, ".6g"), repr(v)):
                if len(shown.lstrip("-")) >= 3:
                    assert shown not in text, (label, shown, text)
    # the output is the same whatever the stored value is
    shifted = dataclasses.replace(ans, value=tuple(3.7 * v + 11 for v in ans.value))
    monkeypatch.setitem(exercises.answers(), label, shifted)
    for trial, old in zip([list(shifted.value), None], [printed[0], printed[3]], strict=True):
        exercises.check(label, ... if trial is None else _shape(ans, trial))
        assert capsys.readouterr().out == old


# ------------------------------------------------------------------------------ chapters

def chapter_blocks(path: Path) -> list[dict]:
    """The exercise, solution and code-cell blocks of a chapter, in order, with their text."""
    kinds = {"exercise", "solution", "solution-start", "code-cell"}
    return [
        {"kind": b.name, "label": b.label, "line": b.line, "body": b.lines}
        for b in myst_blocks.blocks(path, kinds)
    ]


def _exercises() -> dict[str, tuple[Path, list[dict], int]]:
    found = {}
    for path in CHAPTERS:
        blocks = chapter_blocks(path)
        for k, block in enumerate(blocks):
            if block["kind"] == "exercise":
                found[block["label"]] = (path, blocks, k)
    return found


def _check_cell(blocks: list[dict], k: int) -> dict | None:
    """The code cell right after exercise ``k``, before its solution, if any."""
    if k + 1 < len(blocks) and blocks[k + 1]["kind"] == "code-cell":
        return blocks[k + 1]
    return None


def test_every_chapter_has_six_tagged_exercises():
    for path in CHAPTERS:
        exs = [b for b in chapter_blocks(path) if b["kind"] == "exercise"]
        assert len(exs) >= 6, f"{path.name}: {len(exs)} exercises"
        for ex in exs:
            text = [line for line in ex["body"] if line.strip() and not line.startswith(":")]
            assert DIFFICULTY.match(text[0]), f"{path.name}:{ex['line']}: {text[0]}"


def test_answers_and_check_cells_match_the_chapters():
    found = _exercises()
    checked = {label for label, (_, blocks, k) in found.items()
               if any(MARKER in line for line in blocks[k]["body"])}
    assert set(exercises.labels()) <= set(found), set(exercises.labels()) - set(found)
    assert checked == set(exercises.labels()), checked ^ set(exercises.labels())
    for label in checked:
        path, blocks, k = found[label]
        cell = _check_cell(blocks, k)
        assert cell is not None, f"{path.name}: no check cell after {label}"
        code = "\n".join(cell["body"])
        assert f'exercises.check("{label}", answer)' in code, (path.name, label, code)
        assert re.search(r"^answer = \.\.\.", code, re.M), (path.name, label, code)


def test_no_check_cell_is_inside_a_solution():
    """Check cells sit between an exercise and its solution, so the student edition keeps them."""
    for path in CHAPTERS:
        text = path.read_text(encoding="utf-8")
        for start in re.finditer(r"\{solution-start\}", text):
            end = text.find("{solution-end}", start.end())
            assert "exercises.check(" not in text[start.end():end], path.name


def test_check_cells_run_without_answers(capsys):
    ns = {"exercises": exercises}
    cells = 0
    for label, (_, blocks, k) in _exercises().items():
        if label not in exercises.answers():
            continue
        code = "\n".join(line for line in _check_cell(blocks, k)["body"]
                         if not line.startswith("from epcore import"))
        exec(compile(code, label, "exec"), ns)  # noqa: S102 - the book's own cells
        cells += 1
    out = capsys.readouterr().out
    assert out.count("no answer yet") == cells == len(exercises.labels())


def test_course_plan_assigns_every_exercise_once():
    """teaching.md's twelve-week plan links each exercise of the book exactly once."""
    text = (REPO / "teaching.md").read_text(encoding="utf-8")
    linked = re.findall(r"\{numref\}`%s <(ex-[\w-]+)>`", text)
    assert sorted(linked) == sorted(_exercises()), set(linked) ^ set(_exercises())
    weeks = re.findall(r"^\| (\d+) \|", text, re.M)
    assert weeks == [str(w) for w in range(1, 13)]
