"""Tests of epcore.spectrum and the Kerr gap: the slowest mode is the smallest |Re lambda|.

The reference everywhere is the dense spectrum of the same Liouvillian, computed here with
``numpy.linalg.eigvals`` (the steady state dropped as the eigenvalue nearest 0), and where the
cutoff is too large for that, the propagator ``exp(L tau)``, whose eigenvalues of largest
modulus are exactly those of smallest ``|Re lambda|`` whatever their imaginary parts.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import qutip
import scipy.sparse.linalg as sla

from epcore import kerr, spectrum

EPS_C = kerr.critical_drive()


def dense_nonzero(L: qutip.Qobj) -> np.ndarray:
    ev = np.linalg.eigvals(L.full())
    return ev[np.argsort(np.abs(ev))][1:]


def dense_gap(L: qutip.Qobj) -> float:
    return float(np.abs(dense_nonzero(L).real).min())


def sparse_route(N, eps, d, model=kerr.PAPER, k=1):
    """The shift-invert route forced even where the dense one would be used."""
    return spectrum.slowest_modes(kerr.liouvillian(N, eps, d, model=model), k,
                                  shifts=kerr.slow_mode_shifts(eps, model=model),
                                  dense_limit=0)


# The rows of the table of the issue that found the defect: (N, eps, model), the gap (dense
# spectrum, converged in the cutoff) and the imaginary part of the slowest pair.
ROWS = [
    (1, 0.0, kerr.PAPER, 0.5, 2.0),
    (10, 0.0, kerr.PAPER.replace(delta=-10), 0.5, 10.0),
    (3, 0.5, kerr.PAPER, 0.5116, 1.845),
    (1, 0.1, kerr.PAPER, 0.5020, 1.99),
    (10, 0.6, kerr.PAPER, 0.5038, 1.80),
    (15, 1.3, kerr.PAPER, 0.5068, 1.89),
]


@pytest.mark.parametrize(("N", "eps", "model", "gap", "omega"), ROWS)
def test_gap_is_the_slowest_oscillating_mode(N, eps, model, gap, omega):
    res = kerr.liouvillian_spectrum(N, eps, model=model, k=2)
    assert res.gap == pytest.approx(gap, rel=2e-4)
    assert res.frequency == pytest.approx(omega, rel=3e-3)  # the slowest mode oscillates
    # both members of the conjugate pair, nothing slower
    assert res.eigenvalues[1] == pytest.approx(res.eigenvalues[0].conjugate(), rel=1e-9)
    assert kerr.liouvillian_gap(N, eps, model=model) == pytest.approx(res.gap, rel=1e-12)


def test_undamped_oscillator_gap_is_kappa_exactly():
    """At eps = 0 the slowest modes are |1><0| and |0><1|: lambda = -kappa -+ i Delta."""
    model = kerr.PAPER.replace(delta=-10)
    res = kerr.liouvillian_spectrum(10, 0.0, model=model, k=2)
    assert res.gap == pytest.approx(model.kappa, rel=1e-12)
    assert sorted(res.eigenvalues.imag) == pytest.approx([-10, 10], rel=1e-12)


@pytest.mark.parametrize(("N", "eps", "model"), [(r[0], r[1], r[2]) for r in ROWS[:5]])
@pytest.mark.slow
def test_sparse_route_matches_dense_on_the_table_rows(N, eps, model):
    d = kerr.initial_cutoff(N, eps, model=model)
    L = kerr.liouvillian(N, eps, d, model=model)
    assert sparse_route(N, eps, d, model).gap == pytest.approx(dense_gap(L), rel=1e-8)


def grid():
    """(N, eps, model, cutoff) with the book's cutoff at most 26 (dense spectra stay cheap)."""
    for N, eps, delta, u, kappa in itertools.product(
        [1, 4], [0.3, 1.0], [-10.0, -2.0, 0.0, 3.0], [1.0, 5.0], [0.5, 2.0]
    ):
        model = kerr.KerrModel(kappa=kappa, delta=delta, u=u)
        d = kerr.initial_cutoff(N, eps, model=model)
        if d <= 26:
            yield N, eps, model, d


@pytest.mark.slow
def test_sparse_route_matches_dense_spectrum_on_a_grid():
    """Every grid point whose dense gap is converged in the cutoff (two cutoffs agree to
    1e-6): the shift-invert route (around 0 and the mean-field drift eigenvalues) gives the
    same gap to 1e-8, and so does the public function (dense there)."""
    checked, worst = 0, 0.0
    for N, eps, model, d in grid():
        L = kerr.liouvillian(N, eps, d, model=model)
        reference = dense_gap(L)
        smaller = dense_gap(kerr.liouvillian(N, eps, d - 4, model=model))
        if abs(smaller - reference) > 1e-6 * reference:
            continue
        checked += 1
        worst = max(worst, abs(sparse_route(N, eps, d, model).gap - reference) / reference)
        public = kerr.liouvillian_gap(N, eps, model=model, cutoff=d)
        worst = max(worst, abs(public - reference) / reference)
    assert checked >= 25
    assert worst < 1e-8


def test_nearest_zero_alone_misses_the_oscillating_mode():
    """Why the shifts are needed: around 0 alone, the mode -kappa +- 10i is not seen."""
    model = kerr.PAPER.replace(delta=-10)
    L = kerr.liouvillian(10, 0.0, 40, model=model)
    alone = spectrum.slowest_modes(L, 1, dense_limit=0)
    assert alone.gap > 1.5 * model.kappa  # a real mode near -2 kappa, not the gap
    shifted = spectrum.slowest_modes(L, 1, shifts=kerr.slow_mode_shifts(0.0, model=model),
                                     dense_limit=0)
    assert shifted.gap == pytest.approx(model.kappa, rel=1e-10)


@pytest.mark.slow
def test_gap_agrees_with_the_propagator_beyond_the_dense_sizes():
    """At N = 15, eps = 1.3 (cutoff 96: no dense check) the eigenvalues of exp(L tau) of largest
    modulus, an ordering by Re lambda alone, give the same slowest pair."""
    res = kerr.liouvillian_spectrum(15, 1.3, k=2)
    L = kerr.liouvillian(15, 1.3, res.cutoff).data.as_scipy().tocsr()
    n = L.shape[0]
    tau = 2.0
    op = sla.LinearOperator((n, n), matvec=lambda x: sla.expm_multiply(tau * L, x), dtype=complex)
    w, V = sla.eigs(op, k=3, which="LM", tol=1e-10, v0=np.ones(n, complex))
    rates = np.sort(-np.log(np.abs(w)) / tau)
    assert rates[0] == pytest.approx(0.0, abs=1e-9)  # the steady state
    assert rates[1] == pytest.approx(res.gap, rel=1e-6)
    assert rates[2] == pytest.approx(res.gap, rel=1e-6)  # its conjugate partner


@pytest.mark.slow
def test_slowest_real_inside_window_and_tiny_gap_keeps_its_round_off_gauge():
    res = kerr.liouvillian_spectrum(20, EPS_C, k=3)
    assert res.frequency == 0 or res.frequency < 1e-9
    assert res.error < 1e-6 * res.gap
    assert abs(res.eigenvalues[1].imag) > 1  # the next ones are the branch coherences
    assert res.method == "shift-invert"


def test_two_steady_states_raise():
    """Two uncoupled decaying modes... a Liouvillian with a dark state: zero is degenerate."""
    L = qutip.liouvillian(qutip.qzero(3), [qutip.basis(3, 0) * qutip.basis(3, 2).dag()])
    with pytest.raises(ValueError, match="more than one steady state"):
        spectrum.slowest_modes(L, dense_limit=0)


def test_slowest_modes_rejects_what_is_not_a_liouvillian():
    with pytest.raises(ValueError, match="superoperator"):
        spectrum.slowest_modes(qutip.destroy(4))
    with pytest.raises(ValueError, match="size d"):
        spectrum.slowest_modes(np.eye(5))
    with pytest.raises(ValueError, match="trace"):
        spectrum.slowest_modes(-np.eye(9))
    with pytest.raises(TypeError):
        spectrum.slowest_modes("L")
    with pytest.raises(ValueError):
        spectrum.slowest_modes(kerr.liouvillian(2, 0.5, 6), k=0)
    with pytest.raises(ValueError):
        spectrum.slowest_modes(kerr.liouvillian(2, 0.5, 6), shifts=[float("nan")])


def test_slowest_modes_on_a_plain_sparse_matrix_and_a_qobj_agree():
    L = kerr.liouvillian(4, 0.9, 30)
    a = spectrum.slowest_modes(L, 2, shifts=kerr.slow_mode_shifts(0.9, model=kerr.PAPER),
                               dense_limit=0)
    b = spectrum.slowest_modes(L.data.as_scipy(), 2,
                               shifts=kerr.slow_mode_shifts(0.9, model=kerr.PAPER),
                               dense_limit=0)
    assert a.eigenvalues == pytest.approx(b.eigenvalues, rel=1e-10)
    assert np.all(a.residuals < 1e-12)


@pytest.mark.slow
def test_a_truncated_mode_behind_the_slowest_one_grows_the_cutoff():
    """N = 10, eps = 0.635: at the initial 26 levels the switching mode is truncated and sits at
    -0.52, behind the slowest oscillation (-0.505); converged it is the gap, 0.3527, real."""
    d0 = kerr.initial_cutoff(10, 0.635)
    assert dense_gap(kerr.liouvillian(10, 0.635, d0)) == pytest.approx(0.50469, rel=1e-4)
    res = kerr.liouvillian_spectrum(10, 0.635, k=1)
    assert res.cutoff > d0
    assert res.gap == pytest.approx(0.3527, rel=2e-4)
    assert res.frequency < 1e-9
    bigger = kerr.liouvillian_spectrum(10, 0.635, k=1, cutoff=res.cutoff + 10)
    assert bigger.gap == pytest.approx(res.gap, rel=1e-6)


# ------------------------------------------------------------------------ symmetry sectors


def _twophoton_liouvillian(N=6.0, g=0.8, d=14):
    from epcore import twophoton

    return twophoton.liouvillian(N, g, d), twophoton.parity_sectors(d)


def test_sector_modes_sparse_route_matches_the_dense_block():
    from epcore import twophoton

    L, (even, odd) = _twophoton_liouvillian()
    M = L.full()
    shifts = twophoton.slow_mode_shifts(0.8)
    for index, holds_trace in ((even, True), (odd, False)):
        ev = np.linalg.eigvals(M[np.ix_(index, index)])
        if holds_trace:
            ev = ev[np.argsort(np.abs(ev))][1:]  # the steady state
        ref = np.sort(np.abs(ev.real))[:3]
        for dense_limit in (spectrum.DENSE_LIMIT, 0):
            modes = spectrum.sector_slowest_modes(L, index, 3, shifts=shifts,
                                                  dense_limit=dense_limit)
            assert np.abs(modes.eigenvalues[:3].real) == pytest.approx(ref, rel=1e-9)
            # eigenvectors live in the sector and solve the eigenproblem of the whole L
            V = modes.vectors
            outside = np.setdiff1d(np.arange(M.shape[0]), index)
            assert np.abs(V[outside]).max() == 0
            assert np.abs(M @ V - V * modes.eigenvalues).max() < 1e-9
    # the union of the two sectors' gaps is the gap of the whole Liouvillian
    gaps = [spectrum.sector_slowest_modes(L, i).gap for i in (even, odd)]
    assert min(gaps) == pytest.approx(spectrum.slowest_modes(L).gap, rel=1e-9)


def test_sector_modes_reject_what_is_not_a_sector():
    L, (even, odd) = _twophoton_liouvillian(d=6)
    with pytest.raises(ValueError, match="not an invariant sector"):
        spectrum.sector_slowest_modes(L, odd[:10])
    with pytest.raises(ValueError, match="part of the diagonal"):
        spectrum.sector_slowest_modes(L, np.r_[odd, 0])
    with pytest.raises(ValueError, match="at least 3"):
        spectrum.sector_slowest_modes(L, [0, 99])
    with pytest.raises(TypeError):
        spectrum.sector_slowest_modes(L, [0.5, 1.5, 2.5])
