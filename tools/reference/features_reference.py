#!/usr/bin/env python3
"""An independent implementation of the feature definitions, for cross-checking.

Written from the feature definitions alone, in plain Python with exactly rounded sums
(math.fsum) and naive per-row windows: slow, simple and easy to audit. It reads a candle CSV in
the format of `featurestore compute` (secid, ts, open, high, low, close, volume), computes every
feature of tech_v2 (tech_v1 is its first 17 features) on each secid's series as it is, and
compares with the CSV that `featurestore compute --all-rows` wrote.

    python3 tools/reference/features_reference.py candles.csv features.csv
    python3 tools/reference/features_reference.py --resample-minutes 5 candles_1m.csv features_5m.csv

(the second for `compute --timeframe 5m --all-rows` on 1m candles: the reference resamples too).

Exit status 0 when every defined value matches within the tolerance of the definitions
(relative 1e-9, or absolute 1e-12 for dimensionless features and 1e-12 x close for features in
price units), and NaN/empty cells agree; 1 otherwise, with the first mismatches printed.
"""
import csv
import math
import sys
from collections import OrderedDict

NAN = float("nan")
PRICE_UNITS = {"macd_line", "macd_signal", "macd_hist", "atr_14"}


def sma(x, n, t):
    w = x[t - n + 1:t + 1]
    if len(w) < n or any(math.isnan(v) for v in w):
        return NAN
    return math.fsum(w) / n


def std(x, n, t, ddof):
    w = x[t - n + 1:t + 1]
    if len(w) < n or any(math.isnan(v) for v in w):
        return NAN
    if max(w) == min(w):
        return 0.0
    m = math.fsum(w) / n
    return math.sqrt(math.fsum((v - m) ** 2 for v in w) / (n - ddof))


def ema_series(x, n, k):
    """EMA seeded with the SMA of the first n defined inputs."""
    out = [NAN] * len(x)
    first_defined = next((i for i, v in enumerate(x) if not math.isnan(v)), None)
    if first_defined is None:
        return out
    seed_row = first_defined + n - 1
    if seed_row >= len(x):
        return out
    e = math.fsum(x[first_defined:seed_row + 1]) / n
    out[seed_row] = e
    for t in range(seed_row + 1, len(x)):
        e = k * x[t] + (1 - k) * e
        out[t] = e
    return out


def features(o, h, l, c, v):
    n = len(c)
    f = OrderedDict()
    ret = [NAN] + [c[t] / c[t - 1] - 1 for t in range(1, n)]
    f["return_1"] = ret
    f["sma_ratio_5_20"] = [sma(c, 5, t) / sma(c, 20, t) if t >= 19 else NAN for t in range(n)]
    e12 = ema_series(c, 12, 2 / 13)
    e26 = ema_series(c, 26, 2 / 27)
    f["ema_ratio_12_26"] = [e12[t] / e26[t] if t >= 25 else NAN for t in range(n)]
    macd = [e12[t] - e26[t] if t >= 25 else NAN for t in range(n)]
    f["macd_line"] = macd
    sig = ema_series(macd, 9, 2 / 10)
    f["macd_signal"] = sig
    f["macd_hist"] = [macd[t] - sig[t] if t >= 33 else NAN for t in range(n)]
    gain = [NAN] + [max(c[t] - c[t - 1], 0.0) for t in range(1, n)]
    loss = [NAN] + [max(c[t - 1] - c[t], 0.0) for t in range(1, n)]
    ag = ema_series(gain, 14, 1 / 14)
    al = ema_series(loss, 14, 1 / 14)
    f["rsi_14"] = [NAN if math.isnan(ag[t]) else (50.0 if ag[t] + al[t] == 0 else 100 * ag[t] / (ag[t] + al[t]))
                   for t in range(n)]
    f["volatility_20"] = [std(ret, 20, t, 1) if t >= 20 else NAN for t in range(n)]
    tr = [NAN] + [max(h[t] - l[t], abs(h[t] - c[t - 1]), abs(l[t] - c[t - 1])) for t in range(1, n)]
    f["atr_14"] = ema_series(tr, 14, 1 / 14)
    vz = []
    for t in range(n):
        if t < 19:
            vz.append(NAN)
            continue
        s = std(v, 20, t, 1)
        vz.append(0.0 if s == 0 else (v[t] - sma(v, 20, t)) / s)
    f["volume_zscore_20"] = vz
    pp = []
    for t in range(n):
        if t < 19:
            pp.append(NAN)
            continue
        hh, ll = max(h[t - 19:t + 1]), min(l[t - 19:t + 1])
        pp.append(0.5 if hh == ll else (c[t] - ll) / (hh - ll))
    f["price_position_20"] = pp
    f["intraday_range_pct"] = [(h[t] - l[t]) / c[t] for t in range(n)]
    f["candle_body_pct"] = [0.0 if h[t] == l[t] else (c[t] - o[t]) / (h[t] - l[t]) for t in range(n)]
    f["upper_shadow_pct"] = [0.0 if h[t] == l[t] else (h[t] - max(o[t], c[t])) / (h[t] - l[t]) for t in range(n)]
    f["lower_shadow_pct"] = [0.0 if h[t] == l[t] else (min(o[t], c[t]) - l[t]) / (h[t] - l[t]) for t in range(n)]
    bull, bear = [NAN], [NAN]
    for t in range(1, n):
        po, pc, ot, ct = o[t - 1], c[t - 1], o[t], c[t]
        bull.append(1.0 if (pc < po and ct > ot and ot <= pc and ct >= po and (ot < pc or ct > po)) else 0.0)
        bear.append(1.0 if (pc > po and ct < ot and ot >= pc and ct <= po and (ot > pc or ct < po)) else 0.0)
    f["bullish_engulfing"] = bull
    f["bearish_engulfing"] = bear
    bb = []
    for t in range(n):
        if t < 19:
            bb.append(NAN)
            continue
        sd = std(c, 20, t, 0)
        if sd == 0:
            bb.append(0.5)
            continue
        mid = sma(c, 20, t)
        up, dn = mid + 2 * sd, mid - 2 * sd
        bb.append((c[t] - dn) / (up - dn))
    f["bollinger_band_pct"] = bb
    k = []
    for t in range(n):
        if t < 13:
            k.append(NAN)
            continue
        hh, ll = max(h[t - 13:t + 1]), min(l[t - 13:t + 1])
        k.append(50.0 if hh == ll else 100 * (c[t] - ll) / (hh - ll))
    f["stoch_k_14"] = k
    f["stoch_d_3"] = [math.fsum(k[t - 2:t + 1]) / 3 if t >= 15 else NAN for t in range(n)]
    return f


def resample(s, minutes):
    """Buckets floor(ts / period) in UTC; first open, max high, min low, last close, summed volume.
    The last bucket has no later candle, so it is not final and is dropped."""
    import datetime
    period = minutes * 60
    out = {"ts": [], "o": [], "h": [], "l": [], "c": [], "v": []}
    keys = [int(datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()) // period for t in s["ts"]]
    i, n = 0, len(keys)
    while i < n:
        j = i
        while j < n and keys[j] == keys[i]:
            j += 1
        if j < n:
            out["ts"].append(keys[i])
            out["o"].append(s["o"][i])
            out["h"].append(max(s["h"][i:j]))
            out["l"].append(min(s["l"][i:j]))
            out["c"].append(s["c"][j - 1])
            out["v"].append(math.fsum(s["v"][i:j]))
        i = j
    return out


def read_candles(path):
    series = OrderedDict()
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            row = {key.strip().lower(): val for key, val in row.items()}
            s = series.setdefault(row["secid"], {"ts": [], "o": [], "h": [], "l": [], "c": [], "v": []})
            s["ts"].append(row["ts"])
            for key, col in (("o", "open"), ("h", "high"), ("l", "low"), ("c", "close"), ("v", "volume")):
                s[key].append(float(row[col]))
    return series


def main(candles_path, features_path, minutes=None):
    series = read_candles(candles_path)
    if minutes:
        series = OrderedDict((k, resample(v, minutes)) for k, v in series.items())
    expected = {}
    for secid, s in series.items():
        f = features(s["o"], s["h"], s["l"], s["c"], s["v"])
        for t in range(len(s["c"])):
            expected[(secid, t)] = ({name: col[t] for name, col in f.items()}, s["c"][t])
    rows_seen = {}
    mismatches, compared, worst = [], 0, {}
    with open(features_path, newline="") as fh:
        reader = csv.DictReader(fh)
        names = [n for n in reader.fieldnames if n not in ("secid", "ts")]
        for row in reader:
            secid = row["secid"]
            t = rows_seen.get(secid, 0)
            rows_seen[secid] = t + 1
            exp, close = expected[(secid, t)]
            for name in names:
                cell, want = row[name], exp[name]
                got = NAN if cell == "" else float(cell)
                if math.isnan(want) or math.isnan(got):
                    if math.isnan(want) != math.isnan(got):
                        mismatches.append((secid, t, name, got, want))
                    continue
                compared += 1
                err = abs(got - want)
                floor = 1e-12 * close if name in PRICE_UNITS else 1e-12
                rel = err / abs(want) if want != 0 else (0.0 if err == 0 else math.inf)
                w_rel, w_abs = worst.get(name, (0.0, 0.0))
                worst[name] = (max(w_rel, rel if want != 0 else 0.0), max(w_abs, err))
                if err > floor and rel > 1e-9:
                    mismatches.append((secid, t, name, got, want))
    for secid, s in series.items():
        if rows_seen.get(secid, 0) != len(s["c"]):
            print(f"{secid}: {rows_seen.get(secid, 0)} output rows for {len(s['c'])} candles (use --all-rows)")
            return 1
    print(f"compared {compared} defined values over {sum(rows_seen.values())} rows, {len(names)} features")
    for name in names:
        w_rel, w_abs = worst.get(name, (0.0, 0.0))
        print(f"  {name:20s} max abs error {w_abs:.3g}, max relative error {w_rel:.3g}")
    if mismatches:
        print(f"{len(mismatches)} mismatches, first ones:")
        for m in mismatches[:10]:
            print("  ", m)
        return 1
    print("all values match")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    minutes = None
    if len(args) == 4 and args[0] == "--resample-minutes":
        minutes, args = int(args[1]), args[2:]
    if len(args) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(args[0], args[1], minutes))
