# The README backtest's figures and options, sourced by
# scripts/readme_backtest.sh and scripts/readme_backtest_seeds.sh (and
# spelt out in tests/cli/readme_test.cpp). The aggregates' error sd, 1 point,
# is the one of 0.5, 1, 1.5, 2 and 3 points under which the filter's
# likelihood of data/industry_figures.csv up to 2023-06 is highest (mfgsim
# forecast --origin 2023-06, 2000 particles, seeds 1-3, the sum of ess.csv's
# log_likelihood_increment).
observed="data/industry_figures.csv data/observed.csv tests/data/later_figures.csv"
flags="--origins 2021-06:2023-03:3 --members 10000 --sector-dof 3 --sector-sd-points 5 --obs-sd-points 1 --jitter-discount 0.95"
