"""The skip-or-fail rule of ``conftest.py``: skip when nothing is required, fail when it is."""

from __future__ import annotations

import pytest
from conftest import REQUIRED, skip_or_fail_now


@pytest.fixture
def clean_env(monkeypatch):
    for variable in REQUIRED.values():
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


def test_skips_with_the_reason_when_nothing_is_required(clean_env):
    clean_env.setenv("EPBOOK_REQUIRE_BROWSER", "1")  # required, but not what this test needs
    clean_env.setenv("EPBOOK_REQUIRE_BUILD", "0")
    with pytest.raises(pytest.skip.Exception, match="the book is not built"):
        skip_or_fail_now("the book is not built", "build")


@pytest.mark.parametrize("need", sorted(REQUIRED))
def test_fails_naming_the_variable_when_required(clean_env, need):
    clean_env.setenv(REQUIRED[need], "1")
    with pytest.raises(pytest.fail.Exception, match=rf"{REQUIRED[need]}=1.*no chromium"):
        skip_or_fail_now("no chromium", need)
    # any one of several needs is enough
    others = [n for n in sorted(REQUIRED) if n != need]
    with pytest.raises(pytest.fail.Exception, match=REQUIRED[need]):
        skip_or_fail_now("missing", *others, need)


def test_an_unknown_need_is_an_error(clean_env):
    with pytest.raises(ValueError, match="needs must be among"):
        skip_or_fail_now("missing", "buidl")
    with pytest.raises(ValueError, match="needs must be among"):
        skip_or_fail_now("missing")
