"""Result files as xarray and pandas read them: open_results equals
xr.open_dataset; every `units` is a UDUNITS-2 string; summary.csv's unit
column agrees with results.nc."""
import ctypes

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import mfgsim
from conftest import assert_bitwise_equal, cli


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("r") / "run"
    cli("run", "scenarios/baseline.yaml", "--members", "8", "--seed", "2", "--keep-members",
        "--outputs", "co2,energy,energy_intensity,va,capital,adoption,manufacturing_va_ytd_yoy,adopted_firms",
        "--out", out)
    return out


def test_open_results_equals_xr_open_dataset(run_dir):
    ds = mfgsim.open_results(run_dir)
    with xr.open_dataset(run_dir / "results.nc") as f:
        xr.testing.assert_identical(ds, f.load())
        assert_bitwise_equal(ds, f)
    assert set(ds.dims) == {"scenario", "time", "sector", "quantile_level", "member", "nv"}
    assert ds["time"].dtype == np.dtype("datetime64[ns]")
    assert str(ds["time"].values[0])[:10] == "2021-01-01" and ds["month_label"].values[-1] == "2030-12"


def test_open_results_of_a_folder_without_results_nc_raises(tmp_path):
    with pytest.raises(FileNotFoundError, match="no results.nc"):
        mfgsim.open_results(tmp_path)


class Udunits:
    """UDUNITS-2 itself (Debian's libudunits2-0), through ctypes."""

    def __init__(self):
        self.lib = ctypes.CDLL("libudunits2.so.0")
        self.lib.ut_set_error_message_handler(self.lib.ut_ignore)
        self.lib.ut_read_xml.restype = ctypes.c_void_p
        self.lib.ut_read_xml.argtypes = [ctypes.c_char_p]
        self.lib.ut_parse.restype = ctypes.c_void_p
        self.lib.ut_parse.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        self.lib.ut_are_convertible.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.lib.ut_get_converter.restype = ctypes.c_void_p
        self.lib.ut_get_converter.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.lib.cv_convert_double.restype = ctypes.c_double
        self.lib.cv_convert_double.argtypes = [ctypes.c_void_p, ctypes.c_double]
        self.system = self.lib.ut_read_xml(None)
        assert self.system, "UDUNITS-2 could not read its unit database"

    def parse(self, text):
        return self.lib.ut_parse(self.system, text.encode(), 0)  # UT_ASCII; NULL when not a unit

    def convert(self, value, source, target):
        return self.lib.cv_convert_double(self.lib.ut_get_converter(self.parse(source), self.parse(target)), value)


def test_every_units_attribute_is_a_udunits_string(run_dir):
    udunits = Udunits()
    # The test can fail: the former human forms are not units to UDUNITS.
    for human in ["tCO2/month", "100 million yuan/month (2020 prices)", "tce/month", "enterprises"]:
        assert not udunits.parse(human), human
    ds = xr.open_dataset(run_dir / "results.nc", decode_times=False)
    seen = set()
    for name, var in ds.variables.items():
        if "units" in var.attrs:
            assert udunits.parse(var.attrs["units"]), f"{name}: units {var.attrs['units']!r}"
            seen.add(var.attrs["units"])
    assert seen >= {"1", "1e8 month-1", "1e8", "t month-1", "29.3076 GJ month-1", "2.93076e-3 GJ",
                    "days since 1970-01-01"}
    # What they mean: 1 tce/month = 29.3076 GJ per (365.242198781 / 12) days; a tonne of CO2 a month in kg/s.
    month = 365.242198781 / 12 * 86400
    assert udunits.convert(1, "29.3076 GJ month-1", "W") == pytest.approx(29.3076e9 / month, rel=1e-12)
    assert udunits.convert(1, "t month-1", "kg s-1") == pytest.approx(1000 / month, rel=1e-12)
    assert udunits.convert(1, "1e8 month-1", "s-1") == pytest.approx(1e8 / month, rel=1e-12)
    assert udunits.convert(1, "2.93076e-3 GJ", "J") == pytest.approx(29.3076e9 / 1e4, rel=1e-12)
    # The unit for people stays, in unit_label.
    assert ds["co2_mean"].attrs["unit_label"] == "tCO2/month"
    assert ds["va_by_sector"].attrs["unit_label"] == "100 million yuan/month (2020 prices)"


def test_summary_csv_unit_column_agrees_with_results_nc(run_dir):
    summary = pd.read_csv(run_dir / "summary.csv", keep_default_na=False)
    assert list(summary.columns) == ["scenario", "month", "sector", "variable", "unit", "mean", "mean_se", "p05", "p25", "p50",
                                     "p75", "p95"]
    ds = mfgsim.open_results(run_dir)
    units = summary.groupby(["variable", summary["sector"] == ""])["unit"].unique()
    assert len(units) == 11  # the selection: 7 per-sector series and 4 aggregates
    for (variable, aggregate), values in units.items():
        assert len(values) == 1
        name = variable if aggregate else variable + "_by_sector"
        assert values[0] == ds[name].attrs["units"], name
    # And the numbers: summary.csv's p50 is results.nc's quantile_level 0.5.
    row = summary[(summary.variable == "co2") & (summary.sector == "") & (summary.month == "2030-12")]
    assert float(row.p50.iloc[0]) == float(ds["co2"].sel(scenario="baseline", time="2030-12", quantile_level=0.5))
