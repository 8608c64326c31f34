"""Generates the bundled sample: XRPUSDT-trades-2024-01-01.csv (Binance public-data format, no header).

12,000 trades, seed 42: a random walk that drifts down for 6,000 trades, then up, so a backtest shows
traders growing from 1 to `chunks` on the fall and being replaced as they finish on the rise.
Run from this folder: python3 generate.py
"""
import random

random.seed(42)
t = 1704067200000  # 2024-01-01T00:00:00Z, milliseconds
p = 0.6200
tid = 500000000
rows = []
n1, n2 = 6000, 6000
for i in range(n1 + n2):
    drift = -0.000020 if i < n1 else 0.000024
    p = max(0.3, p * (1 + drift + random.gauss(0, 0.0004)))
    p = round(p, 4)
    q = max(1, round(random.paretovariate(1.5) * 20))
    t += random.randint(1, 900)
    tid += 1
    rows.append(f"{tid},{p:.8f},{q:.8f},{p*q:.8f},{t},{random.random() < 0.5},True")
open("XRPUSDT-trades-2024-01-01.csv", "w").write("\n".join(rows) + "\n")
