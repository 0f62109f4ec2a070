#!/usr/bin/python3
"""Checks the build-time report of examples/classify (rknn_add_model REPORT ON)."""
import json
import os
import sys


def fail(message):
    print(f"check_report: {message}", file=sys.stderr)
    sys.exit(1)


def load(report, name):
    path = os.path.join(report, name)
    if not os.path.isfile(path):
        fail(f"{path} is missing")
    with open(path) as f:
        return json.load(f) if name.endswith(".json") else f.read()


def main():
    report = sys.argv[1]
    perf, memory = load(report, "perf.json"), load(report, "memory.json")
    analysis = load(report, "error_analysis.json")
    if "Total Time(us)" not in load(report, "perf.txt"):
        fail("perf.txt has no total")
    if "Total Internal Tensor Memory" not in load(report, "memory.txt"):
        fail("memory.txt has no internal tensor memory")
    layers = perf.get("layers", [])
    if len(layers) != 5:
        fail(f"perf.json: expected 5 fused layers (conv+relu+pool x2, conv+relu, pool, fc), got {len(layers)}")
    if not all(0 < layer["utilization"] <= 1 for layer in layers):
        fail("perf.json: a utilization outside (0, 1]")
    rows = analysis.get("layers", [])
    if len(rows) != 8:
        fail(f"error_analysis.json: expected 8 layer outputs, got {len(rows)}")
    worst = min(row["entire"]["cosine"] for row in rows)
    if worst < 0.99:
        fail(f"error_analysis.json: u8 layer cosine {worst} < 0.99")
    print(f"report ok: {len(layers)} perf layers, total {perf['total_time_us']} us; "
          f"internal memory {memory['total_internal_allocation']} bytes; worst cosine {worst:.6f}")


if __name__ == "__main__":
    main()
