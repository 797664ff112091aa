"""mfgsim.batch: the Dataset of `mfgsim batch`'s results.nc, bit for bit."""
import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

import mfgsim
from conftest import ROOT, assert_bitwise_equal, cli

BATCH = "tests/golden/batch_sweeps/batch.yaml"  # 2 files, a 2 x 2 grid, 4 Sobol samples, 3 members


def test_batch_equals_the_cli_results_nc_bit_for_bit(tmp_path):
    cli("batch", BATCH, "--progress", "off", "--out", tmp_path / "cli")
    with xr.open_dataset(tmp_path / "cli" / "results.nc") as f:
        from_file = f.load()
    ds = mfgsim.batch(BATCH, threads=2)
    xr.testing.assert_identical(ds, from_file)
    assert_bitwise_equal(ds, from_file)
    assert list(ds["scenario"].values) == ["baseline", "low_carbon_push", "grid_0", "grid_1", "grid_2", "grid_3",
                                           "levers_0", "levers_1", "levers_2", "levers_3"]
    assert list(ds["parameter"].values) == ["lending.long_term_growth", "lending.investment_pass",
                                            "low_carbon.retrofit_push.end", "intelligent_manufacturing.innovation_p"]
    # Paired members: member k of every scenario drew the same numbers (one seed).
    assert set(ds["seed"].values) == {20230901}
    d = ds["co2_members"] - ds["co2_members"].sel(scenario="baseline")
    assert float(abs(d.sel(scenario="baseline")).max()) == 0.0


def test_batch_into_a_folder_writes_the_cli_files(tmp_path):
    ds = mfgsim.batch(BATCH, out=tmp_path / "b", members=2, seed=5)
    assert {p.name for p in (tmp_path / "b").iterdir()} >= {"summary.csv", "results.nc", "scenarios.csv",
                                                           "manifest.json"}
    assert int(ds["member_count"].max()) == 2 and set(ds["seed"].values) == {5}
    xr.testing.assert_identical(ds, mfgsim.open_results(tmp_path / "b"))


def test_a_bad_batch_raises_with_the_position(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nscenarios:\n  - missing.yaml\nmembrs: 3\n")
    with pytest.raises(mfgsim.ScenarioError) as e:
        mfgsim.batch(bad)
    lines = str(e.value).splitlines()
    assert any(line.startswith(f"{bad}:4:1: error: unknown key `membrs`") for line in lines), lines


def test_a_bad_out_raises_naming_it(tmp_path):
    # Found by a new user's trial: out='' raised a RuntimeError from the file system.
    with pytest.raises(ValueError, match="out must name a folder"):
        mfgsim.batch(BATCH, out="")
    with pytest.raises(TypeError, match="out must be a folder path, got int"):
        mfgsim.batch(BATCH, out=5)


def test_an_output_folder_that_holds_the_inputs_is_refused():
    with pytest.raises(ValueError, match=r"^out tests: contains tests/golden/batch_sweeps/batch.yaml"):
        mfgsim.batch(BATCH, out="tests")


def test_a_run_with_the_batch_seed_equals_its_scenario_in_the_batch():
    ds = mfgsim.batch(BATCH)
    for name in ["baseline", "low_carbon_push"]:
        run = mfgsim.run(f"scenarios/{name}.yaml", members=3, seed=20230901,
                         outputs=["manufacturing_va_ytd_yoy", "industry_va_ytd_yoy", "long_term_loans_yoy",
                                  "adoption", "co2"], member_values=True)
        for var in ["co2", "co2_by_sector_mean", "adoption_members", "manufacturing_va_ytd_yoy_members"]:
            assert np.array_equal(run[var].isel(scenario=0).values, ds[var].sel(scenario=name).values,
                                  equal_nan=True), (name, var)


def test_no_hdf5_diagnostics_when_xarray_reads_after_a_batch_wrote():
    # NetCDF silences HDF5's error printing per thread; the module initialises it on the importing thread.
    code = f"import mfgsim\nmfgsim.batch({BATCH!r})\nmfgsim.run('scenarios/baseline.yaml', members=2)\n"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "HDF5-DIAG" not in r.stderr


def test_a_seed_for_a_batch_that_draws_nothing_is_refused(tmp_path):
    # As `run(..., seed=)` on a deterministic scenario: the seed would be ignored.
    (tmp_path / "det.yaml").write_text(f"name: det\nextends: {ROOT}/scenarios/baseline.yaml\n"
                                       "ensemble: {stochastic: false}\n")
    (tmp_path / "b.yaml").write_text("name: detb\nscenarios: [det.yaml]\n")
    with pytest.raises(ValueError, match="seed applies to stochastic runs only: every scenario of batch 'detb'"):
        mfgsim.batch(tmp_path / "b.yaml", seed=5)
