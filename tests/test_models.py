"""The model objects and the result type: validated, frozen, hashable, read-only."""

import dataclasses
import math
import pickle

import pytest

from epcore.balance import ModeBalance
from epcore.models import DickeModel, KerrModel, TwoPhotonModel


def test_defaults_are_the_papers_parameters():
    # Fig. 2: kappa = 1/2, Delta = -2, u = 1; Fig. 3: omega0 = 0.005, omega = 0.01, kappa = 1
    # and, App. C, gamma = 1e-3 kappa
    assert (KerrModel().kappa, KerrModel().delta, KerrModel().u) == (0.5, -2.0, 1.0)
    d = DickeModel()
    assert (d.omega0, d.omega, d.kappa, d.gamma) == (0.005, 0.01, 1.0, 1e-3 * d.kappa)
    # the two-photon resonator: the book's kappa = 1, Delta = 0, U = 1, eta = 1 (issue 20)
    t = TwoPhotonModel()
    assert (t.kappa, t.delta, t.u, t.eta) == (1.0, 0.0, 1.0, 1.0)


@pytest.mark.parametrize(
    "cls, bad",
    [
        (KerrModel, {"kappa": 0.0}),
        (KerrModel, {"kappa": -1.0}),
        (KerrModel, {"u": 0.0}),
        (KerrModel, {"delta": math.inf}),
        (KerrModel, {"delta": "large"}),
        (DickeModel, {"omega0": 0.0}),
        (DickeModel, {"omega": math.nan}),
        (DickeModel, {"kappa": -1.0}),
        (DickeModel, {"gamma": 0.0}),
        (TwoPhotonModel, {"kappa": 0.0}),
        (TwoPhotonModel, {"eta": -0.5}),
        (TwoPhotonModel, {"u": math.nan}),
    ],
)
def test_invalid_parameters_raise_value_error_naming_them(cls, bad):
    (name,) = bad
    with pytest.raises(ValueError, match=name):
        cls(**bad)


def test_a_negative_detuning_is_valid_and_values_become_floats():
    m = KerrModel(kappa=1, delta=-3, u=2)
    assert m.delta == -3.0 and isinstance(m.kappa, float)


def test_models_are_frozen_hashable_and_replace_validates():
    m = KerrModel()
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.kappa = 1.0
    assert hash(m) == hash(KerrModel()) and m == KerrModel()
    assert m.replace(u=0.5) == KerrModel(u=0.5)
    with pytest.raises(ValueError, match="u must be"):
        m.replace(u=-1.0)
    with pytest.raises(ValueError, match="no parameter 'gamma'"):
        m.replace(gamma=1.0)
    assert pickle.loads(pickle.dumps(DickeModel(gamma=1e-5))) == DickeModel(gamma=1e-5)


def _balance():
    return ModeBalance(0.0, 0.25, 0.5, 0.0, 0.75, alpha=1 + 2j)


def test_diagnostics_are_frozen_fields_read_as_attributes():
    b = _balance()
    assert b.alpha == 1 + 2j and b.wehrl is None  # an optional diagnostic defaults to None
    assert not hasattr(b, "extra")  # no mapping of diagnostics beside the fields
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.pi_u = 1.0
    with pytest.raises(AttributeError):
        _ = b.no_such_diagnostic
    with pytest.raises(TypeError):
        ModeBalance(0.0, 0.25, 0.5, 0.0, 0.75, no_such_diagnostic=1.0)


def test_replace_returns_a_new_result():
    b = _balance()
    c = b.replace(method="complex-p")
    assert c.method == "complex-p" and c.alpha == 1 + 2j and b.method is None
    assert (c.pi_u, c.pi_d, c.phi_q, c.residual) == (0.25, 0.5, 0.75, 0.0)
    assert type(c) is ModeBalance


def test_results_survive_pickling_for_process_pools():
    b = pickle.loads(pickle.dumps(_balance()))
    assert b == _balance() and b.alpha == 1 + 2j and type(b) is ModeBalance


MODEL_PARAMETERS = {
    "epcore.kerr": {"kappa", "delta", "u"},
    "epcore.dicke": {"omega0", "omega", "kappa", "gamma"},
    "epcore.twophoton": {"kappa", "delta", "u", "eta"},
}


@pytest.mark.parametrize(
    "module",
    ["epcore.kerr", "epcore.dicke", "epcore.dynamics", "epcore.plots.kerr", "epcore.plots.dicke",
     "epcore.plots.dynamics", "epcore.twophoton"],
)
def test_model_parameters_are_taken_only_as_a_model_object(module):
    """No public function of the models repeats their parameters as keywords; every ``model=``
    defaults to the paper's instance of its class."""
    import importlib
    import inspect

    from epcore import dicke, kerr, twophoton

    papers = {KerrModel: kerr.PAPER, DickeModel: dicke.PAPER, TwoPhotonModel: twophoton.PAPER}
    banned = set().union(*MODEL_PARAMETERS.values())
    mod = importlib.import_module(module)
    checked = 0
    for name in mod.__all__:
        obj = getattr(mod, name)
        if not inspect.isfunction(obj):
            continue
        params = inspect.signature(obj).parameters
        assert not banned & set(params), f"{module}.{name} takes {sorted(banned & set(params))}"
        if "model" in params and params["model"].default is not inspect.Parameter.empty:
            default = params["model"].default
            assert type(default) in papers, f"{module}.{name}"
            if module in ("epcore.kerr", "epcore.dicke", "epcore.dynamics", "epcore.twophoton"):
                assert default is papers[type(default)], f"{module}.{name}"
            checked += 1
    assert checked > 0 or module.startswith("epcore.plots")  # figures may draw PAPER only


def test_check_choice_returns_the_value_or_names_the_choices():
    from epcore.models import check_choice

    assert check_choice("qutip", "method", ("complex-p", "qutip")) == "qutip"
    with pytest.raises(ValueError, match=r"method must be one of \('a', 'b'\), got 'c'"):
        check_choice("c", "method", ("a", "b"))
    with pytest.raises(ValueError, match="got None"):
        check_choice(None, "method", ("a", "b"))
