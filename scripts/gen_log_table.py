#!/usr/bin/env python3
"""Prints the table of sim/core/vector_math.h's log: 128 rows of {1/c, -log(1/c)}.

The reduced argument z of the log lies in [0.6875, 1.375) (0.6875 = 0x1.6p-1);
row i covers the z whose bits minus those of 0.6875 have i as their top 7
mantissa bits: width 1/256 below 1 and 1/128 above. c is the row's midpoint,
except the two rows that touch 1 (79 below, 80 above) use c = 1 exactly, so
that log(z) near 1 is z - 1 and the series, with full relative accuracy.
invc is 1/c rounded to a double; logc = -ln(invc) correctly rounded, computed
in 60-digit decimal arithmetic from the exact value of invc (independent of
any libm). Run: python3 scripts/gen_log_table.py
"""
from decimal import Decimal, getcontext
from fractions import Fraction

getcontext().prec = 60


def nearest_double(q: Fraction) -> float:
    # float(Fraction) rounds correctly (round half to even).
    return float(q)


rows = []
for i in range(128):
    if i < 80:
        lo = Fraction(11, 16) + Fraction(i, 256)
        width = Fraction(1, 256)
    else:
        lo = Fraction(1) + Fraction(i - 80, 128)
        width = Fraction(1, 128)
    c = Fraction(1) if i in (79, 80) else lo + width / 2
    invc = nearest_double(1 / c)
    logc = -(Decimal(Fraction(invc).numerator) / Decimal(Fraction(invc).denominator)).ln()
    logc_double = nearest_double(Fraction(logc))
    rows.append((invc, logc_double))

for invc, logc in rows:
    print(f"    {{{invc.hex()}, {logc.hex()}}},")
