#!/usr/bin/env python3
"""Derives the real-market test series from the two CSV files shipped in ta4j-examples 0.15.

Usage: python3 make_data.py <dir holding the two extracted ta4j-examples CSV files>

Writes, next to this script:
  aapl_2013_1d.csv      the AAPL daily bars, converted to secid,ts,open,high,low,close,volume
  btcusd_bitstamp_1m.csv.gz  1-minute candles aggregated from the Bitstamp BTC/USD trades
                        (gzip with a zero timestamp, so the bytes are reproducible)

Minutes without a trade produce no candle. Prices are copied as written in the source (no
floating-point arithmetic), volumes are exact decimal sums of the trade amounts.
"""
import csv
import gzip
import io
import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path


def norm(d: Decimal) -> str:
    """Shortest plain decimal text of d, without trailing zeros."""
    s = format(d.normalize(), "f")
    return s


def iso(epoch_seconds: int) -> str:
    return datetime.fromtimestamp(epoch_seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def convert_aapl(src: Path, dst: Path) -> int:
    rows = 0
    with src.open(newline="") as f, dst.open("w", newline="") as out:
        out.write("secid,ts,open,high,low,close,volume\n")
        for r in csv.DictReader(f):
            out.write(",".join(["AAPL", r["date"] + "T00:00:00Z", norm(Decimal(r["open"])), norm(Decimal(r["high"])),
                                norm(Decimal(r["low"])), norm(Decimal(r["close"])), norm(Decimal(r["volume"]))]) + "\n")
            rows += 1
    return rows


def aggregate_btc(src: Path, dst: Path) -> int:
    candles = []  # [minute, open, high, low, close, volume]
    last_ts = None
    with src.open(newline="") as f:
        for r in csv.DictReader(f):
            ts = int(r["timestamp"])
            if last_ts is not None and ts < last_ts:
                raise SystemExit(f"trades out of order at timestamp {ts}")
            last_ts = ts
            price = Decimal(r["price"])
            amount = Decimal(r["amount"])
            minute = ts - ts % 60
            if candles and candles[-1][0] == minute:
                c = candles[-1]
                c[2] = max(c[2], price)
                c[3] = min(c[3], price)
                c[4] = price
                c[5] += amount
            else:
                candles.append([minute, price, price, price, price, amount])
    text = io.StringIO()
    text.write("secid,ts,open,high,low,close,volume\n")
    for m, o, h, l, c, v in candles:
        text.write(",".join(["BTCUSD", iso(m), norm(o), norm(h), norm(l), norm(c), norm(v)]) + "\n")
    with dst.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out:
        out.write(text.getvalue().encode("ascii"))
    return len(candles)


def main() -> None:
    src = Path(sys.argv[1])
    here = Path(__file__).resolve().parent
    a = convert_aapl(src / "appleinc_bars_from_20130101_usd.csv", here / "aapl_2013_1d.csv")
    b = aggregate_btc(src / "bitstamp_trades_from_20131125_usd.csv", here / "btcusd_bitstamp_1m.csv.gz")
    print(f"aapl_2013_1d.csv: {a} daily bars; btcusd_bitstamp_1m.csv.gz: {b} one-minute candles")


if __name__ == "__main__":
    main()
