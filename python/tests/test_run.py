"""mfgsim.run: the same Dataset as the CLI's results.nc, bit for bit; the
xarray conventions (time, quantile_level, member); dict scenarios; errors."""
import numpy as np
import pytest
import xarray as xr

import mfgsim
from conftest import ROOT, assert_bitwise_equal, cli


def test_deterministic_run_equals_the_cli_results_nc_bit_for_bit(tmp_path):
    cli("run", "scenarios/baseline.yaml", "--deterministic", "--threads", "1", "--out", tmp_path / "d")
    with xr.open_dataset(tmp_path / "d" / "results.nc") as f:
        from_file = f.load()
    ds = mfgsim.run("scenarios/baseline.yaml", deterministic=True, threads=2)
    xr.testing.assert_identical(ds, from_file)
    assert_bitwise_equal(ds, from_file)
    assert ds.attrs["history"] == "mfgsim run scenarios/baseline.yaml"
    assert int(ds["member_count"][0]) == 1 and int(ds["stochastic"][0]) == 0
    # One member: every quantile is the mean.
    v = ds["manufacturing_va"].isel(scenario=0)
    np.testing.assert_array_equal(v.values, np.repeat(ds["manufacturing_va_mean"].isel(scenario=0).values[:, None], 5, 1))


def test_stochastic_run_with_member_values_equals_the_cli_bit_for_bit(tmp_path):
    args = ["--members", "30", "--seed", "7", "--outputs", "manufacturing_va_ytd_yoy,va,co2"]
    cli("run", "scenarios/low_carbon_push.yaml", *args, "--keep-members", "--threads", "1", "--out", tmp_path / "s")
    with xr.open_dataset(tmp_path / "s" / "results.nc") as f:
        from_file = f.load()
    ds = mfgsim.run("scenarios/low_carbon_push.yaml", members=30, seed=7, member_values=True, threads=2,
                    outputs=["manufacturing_va_ytd_yoy", "va", "co2"])
    xr.testing.assert_identical(ds, from_file)
    assert_bitwise_equal(ds, from_file)
    assert ds.sizes["member"] == 30 and int(ds["seed"][0]) == 7
    # The selected series and no other: co2 names an aggregate and a per-sector series.
    series = {n for n in ds.data_vars if n.endswith("_mean")}
    assert series == {"manufacturing_va_ytd_yoy_mean", "va_by_sector_mean", "co2_by_sector_mean", "co2_mean"}
    assert "co2_by_sector_members" in ds and "manufacturing_va_ytd_yoy_members" in ds


@pytest.mark.filterwarnings("ignore:All-NaN slice")  # growth in the first year is NaN for every member
def test_member_values_give_xarray_quantiles_equal_to_the_summaries():
    ds = mfgsim.run("scenarios/baseline.yaml", members=40, seed=3, member_values=True,
                    outputs=["manufacturing_va_ytd_yoy", "va"])
    assert "quantile" not in ds.dims  # would collide with Dataset.quantile's own dimension
    median = ds.quantile(0.5, dim="member")  # works on the whole Dataset
    got = median["manufacturing_va_ytd_yoy_members"].sel(scenario="baseline")
    # numpy's default (linear, Hyndman-Fan type 7) is the method of the summaries.
    want = ds["manufacturing_va_ytd_yoy"].sel(scenario="baseline", quantile_level=0.5)
    defined = ~np.isnan(want.values)
    assert defined.sum() == 108  # growth is undefined in the first 12 months
    np.testing.assert_allclose(got.values[defined], want.values[defined], rtol=1e-12, atol=0)
    q = ds["va_by_sector_members"].quantile([0.05, 0.95], dim="member")
    np.testing.assert_allclose(q.sel(quantile=0.95).values,
                               ds["va_by_sector"].sel(quantile_level=0.95).values, rtol=1e-12)
    # The standard error of each mean is s / sqrt(n) over the members (numpy's std with ddof=1).
    growth = ds["manufacturing_va_ytd_yoy_members"]
    np.testing.assert_allclose(ds["manufacturing_va_ytd_yoy_mean_se"].values,
                               (growth.std(dim="member", ddof=1) / np.sqrt(40)).values, rtol=1e-9, atol=1e-15)
    # Each member's drawn value, inside the declared distribution's support (uniform(0, 1)).
    tilt = ds["draw_lending__green_tilt"]
    assert tilt.dims == ("scenario", "member") and tilt.attrs["parameter_path"] == "lending.green_tilt"
    assert 0 <= float(tilt.min()) < float(tilt.max()) <= 1
    # CF time: month selection and calendar-year groups work on `time`.
    assert ds["manufacturing_va_ytd_yoy_mean"].sel(time="2023-06").shape == (1, 1)
    assert ds["va_by_sector_mean"].groupby("time.year").mean().sizes["year"] == 10


def test_results_do_not_depend_on_the_thread_count():
    one = mfgsim.run("scenarios/baseline.yaml", members=33, seed=5, threads=1, outputs=["co2", "va"])
    three = mfgsim.run("scenarios/baseline.yaml", members=33, seed=5, threads=3, outputs=["co2", "va"])
    assert_bitwise_equal(one, three)


def test_a_dict_scenario_with_extends_equals_the_same_file(tmp_path):
    text = ("name: push_dict\nextends: low_carbon_push.yaml\nlending:\n  green_tilt: 3.0\n"
            "ensemble:\n  members: 12\n  seed: 11\n")
    twin = tmp_path / "push_dict.yaml"
    twin.write_text(text.replace("low_carbon_push.yaml", str(ROOT / "scenarios" / "low_carbon_push.yaml")))
    from_file = mfgsim.run(twin, outputs=["manufacturing_va", "co2"])
    scenario = {"name": "push_dict", "extends": "low_carbon_push.yaml", "lending": {"green_tilt": 3.0},
                "ensemble": {"members": 12, "seed": 11}}
    from_dict = mfgsim.run(scenario, base_dir=ROOT / "scenarios", outputs=["manufacturing_va", "co2"])
    xr.testing.assert_equal(from_file.drop_vars("source"), from_dict.drop_vars("source"))
    assert from_dict["source"].item() == "<scenario dict>"
    # The dict's own value counts: green_tilt 3.0 differs from the base's 2.0.
    base = mfgsim.run("scenarios/low_carbon_push.yaml", members=12, seed=11, outputs=["manufacturing_va", "co2"])
    assert not np.array_equal(base["co2_mean"].values, from_dict["co2_mean"].values)


def test_a_bad_dict_raises_with_file_line_and_column():
    with pytest.raises(mfgsim.ScenarioError) as e:
        mfgsim.run({"name": "x", "extends": "baseline.yaml", "lending": {"maturty": 5}}, base_dir=ROOT / "scenarios")
    d = e.value.diagnostics
    assert len(d) == 1
    assert (d[0].file, d[0].line, d[0].column) == ("<scenario dict>", 5, 5)
    assert str(e.value) == "<scenario dict>:5:5: error: unknown key `maturty` in `lending` (did you mean `maturity`?)"


def test_a_number_as_text_in_a_dict_says_why():
    # Found by a new user's trial: yaml.safe_load (YAML 1.1) of baseline.yaml
    # gives calibration.tolerance as the text '1e-10'.
    with pytest.raises(mfgsim.ScenarioError) as e:
        mfgsim.run({"name": "x", "extends": "baseline.yaml", "lending": {"maturity": "1e-10"}},
                   base_dir=ROOT / "scenarios")
    assert str(e.value) == ('<scenario dict>:5:17: error: lending.maturity: expected a number, got "1e-10" (text, '
                            "not a number; a YAML 1.1 reader such as PyYAML reads an exponent without a dot, e.g. "
                            "1e-10, as text: write 1.0e-10, or pass the file's path)")


def test_a_bad_file_raises_with_every_diagnostic():
    with pytest.raises(mfgsim.ScenarioError) as e:
        mfgsim.run("scenarios/examples/unknown_nested_key.yaml")
    assert str(e.value) == ("scenarios/examples/unknown_nested_key.yaml:5:3: error: unknown key `maturty` in "
                            "`lending` (did you mean `maturity`?)")
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize("kwargs, error, text", [
    ({"members": 0}, ValueError, "members must be in [1, 10000000], got 0"),
    ({"members": 2.5}, TypeError, "members must be an integer, got 2.5"),
    ({"members": True}, TypeError, "members must be an integer, got True"),
    ({"seed": -1}, ValueError, "seed must be in [0, 18446744073709551615], got -1"),
    ({"threads": -2}, ValueError, "threads must be in [0, 1024], got -2"),
    ({"threads": 1025}, ValueError, "threads must be in [0, 1024], got 1025"),
    ({"deterministic": True, "members": 3}, ValueError, "deterministic runs exactly one member"),
    ({"outputs": "va"}, TypeError, "outputs must be a list of series names or 'all', got 'va'"),
    ({"outputs": ["va", "vaa"]}, ValueError, "outputs: unknown series 'vaa'"),
    ({"base_dir": "scenarios"}, TypeError, "base_dir is for a dict scenario"),
    ({"member_values": 1}, TypeError, "member_values must be True or False, got 1"),
])
def test_bad_arguments_raise_naming_the_argument(kwargs, error, text):
    with pytest.raises(error) as e:
        mfgsim.run("scenarios/baseline.yaml", **kwargs)
    assert text in str(e.value)


def test_a_missing_file_raises_scenario_error():
    with pytest.raises(mfgsim.ScenarioError, match="nonexistent.yaml"):
        mfgsim.run("scenarios/nonexistent.yaml")


def test_runs_with_the_same_seed_are_paired():
    twin = {"name": "twin", "extends": "baseline.yaml"}  # the baseline under another name
    kw = dict(members=20, member_values=True, outputs=["manufacturing_va_ytd_yoy"])
    base = mfgsim.run("scenarios/baseline.yaml", seed=9, **kw)["manufacturing_va_ytd_yoy_members"]
    paired = mfgsim.run(twin, base_dir="scenarios", seed=9, **kw)["manufacturing_va_ytd_yoy_members"]
    unpaired = mfgsim.run(twin, base_dir="scenarios", seed=10, **kw)["manufacturing_va_ytd_yoy_members"]
    # The streams are keyed by the seed alone, never by a scenario's name.
    assert np.array_equal(base.values, paired.values, equal_nan=True)
    assert np.nanmax(np.abs(base.values - unpaired.values)) > 1e-3


def test_a_scenario_warning_reaches_python_as_the_cli_prints_it(tmp_path):
    # Found by a new user's trial: the CLI's warning was lost in Python.
    s = tmp_path / "late.yaml"
    s.write_text(f"name: late\nextends: {ROOT / 'scenarios' / 'baseline.yaml'}\nlow_carbon:\n  recycling_target: 1.0\n")
    r = cli("run", s, "--deterministic", "--outputs", "co2", "--out", tmp_path / "r")
    printed = [line for line in r.stderr.splitlines() if ": warning: " in line]
    assert printed and "recycling_target" in printed[0]
    with pytest.warns(mfgsim.ScenarioWarning) as caught:
        mfgsim.run(s, deterministic=True, outputs=["co2"])
    assert [str(w.message) for w in caught if w.category is mfgsim.ScenarioWarning] == printed
