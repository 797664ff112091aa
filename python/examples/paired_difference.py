"""Notebook-style example (README "From Python"): the baseline and the
low-carbon push, 200 paired members each, and the member-by-member
difference of manufacturing growth, plotted with matplotlib.

    PYTHONPATH=build/python python3 python/examples/paired_difference.py [--out FILE.png] [--members N]

Run from the repository root. python/tests/test_example.py runs it.
"""
import argparse
import os

import matplotlib

matplotlib.use("Agg")  # files, no window
import matplotlib.pyplot as plt

import mfgsim

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--out", default="out/paired_difference.png", help="the figure (PNG)")
parser.add_argument("--members", type=int, default=200)
args = parser.parse_args()

# Same seed: member k of both runs draws the same shocks and parameter values
# (streams are keyed by the seed alone), so their difference is what the
# scenario changes.
common = dict(members=args.members, seed=20230901, member_values=True,
              outputs=["manufacturing_va_ytd_yoy"])
base = mfgsim.run("scenarios/baseline.yaml", **common)
push = mfgsim.run("scenarios/low_carbon_push.yaml", **common)

growth = "manufacturing_va_ytd_yoy_members"  # (scenario, time, member), a fraction
diff = 100 * (push[growth].squeeze("scenario", drop=True) - base[growth].squeeze("scenario", drop=True))
diff = diff.sel(time=slice("2022-01", None))  # growth on a year earlier: undefined (NaN) in the first year
bands = diff.quantile([0.05, 0.5, 0.95], dim="member")  # percentage points

print("low_carbon_push - baseline, manufacturing value added ytd yoy (percentage points)")
print(bands.sel(time=["2023-06", "2025-12", "2030-12"]).to_pandas().T.round(3).to_string())

fig, ax = plt.subplots(figsize=(8, 4))
t = bands["time"].values
ax.fill_between(t, bands.sel(quantile=0.05), bands.sel(quantile=0.95), alpha=0.3, label="5-95% of members")
ax.plot(t, bands.sel(quantile=0.5), label="median")
ax.axhline(0, color="grey", lw=0.8)
ax.set_ylabel("percentage points")
ax.set_title("Manufacturing growth (ytd yoy): low_carbon_push - baseline, paired members")
ax.legend()
fig.tight_layout()
os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
fig.savefig(args.out, dpi=100)
print(f"figure: {args.out}")
