"""``epcore.settings``: one object holds the tunable limits, read by every function when called."""

from __future__ import annotations

import pytest
from threadpoolctl import threadpool_info

import epcore
from epcore import dicke, kerr, models, sweep, thermal, twophoton
from epcore.errors import ArgumentTypeError, CutoffError, MemoryLimitError
from epcore.settings import DEFAULTS, Settings, settings
from epcore.threads import blas_threads


@pytest.fixture(autouse=True)
def _restore():
    yield
    settings.reset()


def test_the_top_level_name_is_the_one_object():
    assert epcore.settings is settings
    assert isinstance(settings, Settings)
    assert {name: getattr(settings, name) for name in DEFAULTS} == DEFAULTS


def test_a_lower_memory_limit_makes_a_passing_check_raise():
    # a 400-level complex-P steady state near eps_c needs a fraction of a GB: it passes by default
    need = kerr.memory_estimate(400, 1.1, 400)
    assert need < DEFAULTS["memory_limit"]
    kerr.check_state_memory(400, 1.1, 400)
    models.check_memory(need, "the request")
    settings.memory_limit = need / 2
    with pytest.raises(MemoryLimitError, match="epcore.settings.memory_limit") as info:
        kerr.check_state_memory(400, 1.1, 400)
    assert info.value.limit == need / 2
    with pytest.raises(MemoryLimitError):
        models.check_memory(need, "the request")
    two = twophoton.memory_estimate(40, 0.3, 2000)
    assert two < DEFAULTS["memory_limit"]
    settings.memory_limit = two / 2  # the two-photon model reads the same setting
    with pytest.raises(MemoryLimitError, match="epcore.settings.memory_limit"):
        twophoton.steady_state(40, 0.3, cutoff=2000, grow=False)
    settings.memory_limit = 2 * need
    kerr.check_state_memory(400, 1.1, 400)


def test_the_memory_limit_bounds_the_dicke_sweeps():
    settings.memory_limit = 100 * dicke.entropy.BYTES_PER_COUPLING
    with pytest.raises(MemoryLimitError, match="at most 100 couplings"):
        dicke.entropy.check_batch_memory(101)


def test_max_cutoff_bounds_the_qutip_route_and_the_spectrum():
    kerr.solver_error(10, 1.0, 40)  # 40 <= 300 by default
    settings.max_cutoff = 30
    with pytest.raises(ValueError, match="30"):
        kerr.solver_error(10, 1.0, 40)
    with pytest.raises(CutoffError, match="max_cutoff = 30"):
        kerr.liouvillian_gap(40, 1.17)
    with pytest.raises(CutoffError, match="max_cutoff = 30"):
        kerr.steady_state(40, 1.17, method="qutip")


def test_gap_and_state_cutoffs_are_read_at_call_time():
    settings.gap_max_cutoff = 8
    with pytest.raises(CutoffError, match="max_cutoff = 8"):
        twophoton.sector_gaps(20, 1.0)
    settings.state_max_cutoff = 5
    with pytest.raises(ValueError, match="5"):
        thermal.kerr_state_balance(10, 1.0, 0.1, cutoff=6)


def test_blas_threads_is_read_when_the_block_opens():
    def blas_limits():
        return {d["num_threads"] for d in threadpool_info() if d["user_api"] == "blas"}

    if not blas_limits():
        pytest.skip("no BLAS library found by threadpoolctl")
    with blas_threads():
        assert blas_limits() == {1}
    settings.blas_threads = 2
    with blas_threads():
        assert blas_limits() == {2}


def test_n_jobs_default_comes_from_the_setting(monkeypatch):
    seen = []

    class Recorder:
        def __init__(self, n_jobs, **kwargs):
            seen.append(n_jobs)

        def __call__(self, tasks):
            return [f(*a, **k) for f, a, k in tasks]

    monkeypatch.setattr(sweep.joblib, "Parallel", Recorder)
    settings.n_jobs = 3
    params = [{"x": 1.0}, {"x": 2.0}]
    assert sweep.sweep(_square, params, cache=False, progress=False) == [1.0, 4.0]
    assert seen == [3]
    settings.n_jobs = 1  # one worker: run in this process, no pool
    assert sweep.sweep(_square, params, cache=False, progress=False) == [1.0, 4.0]
    assert seen == [3]


def _square(x):
    return x * x


def test_the_settings_change_the_cache_key():
    before = sweep.settings_hash()
    settings.max_cutoff = 200
    assert sweep.settings_hash() != before
    settings.reset()
    assert sweep.settings_hash() == before
    settings.n_jobs = 1  # cannot change a result
    assert sweep.settings_hash() == before


def test_temporarily_restores_the_old_values_even_on_error():
    with settings.temporarily(memory_limit=1e6, n_jobs=1) as s:
        assert s is settings and settings.memory_limit == 1e6 and settings.n_jobs == 1
    assert settings.memory_limit == DEFAULTS["memory_limit"] and settings.n_jobs == 2
    with pytest.raises(RuntimeError):
        with settings.temporarily(max_cutoff=50):
            raise RuntimeError
    assert settings.max_cutoff == 300
    with pytest.raises(ValueError, match="max_cutoff"):
        with settings.temporarily(max_cutoff=-1):
            pass
    assert settings.max_cutoff == 300


@pytest.mark.parametrize(
    ("name", "value", "error", "message"),
    [
        ("memory_limit", -1.0, ValueError, "positive, finite number of bytes"),
        ("memory_limit", 0, ValueError, "positive"),
        ("memory_limit", float("inf"), ValueError, "finite"),
        ("memory_limit", "2GB", ArgumentTypeError, "number of bytes"),
        ("memory_limit", True, ArgumentTypeError, "number of bytes"),
        ("max_cutoff", 2, ValueError, ">= 4"),
        ("max_cutoff", 300.0, ArgumentTypeError, "integer"),
        ("gap_max_cutoff", None, ArgumentTypeError, "integer"),
        ("state_max_cutoff", 0, ValueError, ">= 4"),
        ("blas_threads", 0, ValueError, ">= 1"),
        ("n_jobs", 0, ValueError, "-1"),
        ("n_jobs", -2, ValueError, ">= 1"),
    ],
)
def test_a_bad_value_raises_and_leaves_the_setting(name, value, error, message):
    old = getattr(settings, name)
    with pytest.raises(error, match=message):
        setattr(settings, name, value)
    assert getattr(settings, name) == old


def test_an_unknown_setting_is_refused():
    with pytest.raises(AttributeError, match="no setting 'memory'.*memory_limit"):
        settings.memory = 1e9


def test_the_old_module_copies_are_gone():
    """A copy could be set without effect; every reader goes through epcore.settings now."""
    for module, name in [(kerr, "MEMORY_LIMIT"), (kerr, "MAX_CUTOFF"),
                         (kerr.memory, "MEMORY_LIMIT"), (twophoton, "MEMORY_LIMIT"),
                         (twophoton, "MAX_CUTOFF"),
                         (twophoton, "GAP_MAX_CUTOFF"), (models, "MEMORY_LIMIT"),
                         (thermal, "STATE_MAX_CUTOFF"), (epcore.threads, "BLAS_THREADS")]:
        assert not hasattr(module, name), f"{module.__name__}.{name}"
