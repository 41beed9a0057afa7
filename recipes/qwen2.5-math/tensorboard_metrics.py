#!/usr/bin/env python3
"""Adapter: TensorBoard event files -> the stage's metrics.json, with no TensorFlow or tensorboard installed.

OpenRLHF (--use_tensorboard DIR) logs its training scalars through torch.utils.tensorboard and writes no
metrics.json. An event file is a TFRecord stream (u64 length, u32 crc, payload, u32 crc), each payload an Event
protobuf whose summary holds (tag, simple_value) pairs. This reads every events.out.tfevents.* file under --dir,
keeps each tag's value at its highest step, turns "/" into "_" (train/policy_loss -> train_policy_loss) and
adds `steps`. Standard library only.

  python3 tensorboard_metrics.py --dir TB_DIR --out {{ out }}/metrics.json
"""

from __future__ import annotations

import argparse
import json
import math
import re
import struct
from pathlib import Path


def varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, i
        shift += 7


def fields(buf: bytes):
    """(field number, wire type, value) of a protobuf message; value is int, bytes, or raw 4/8 bytes."""
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(buf, i)
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        elif wire == 2:
            size, i = varint(buf, i)
            value, i = buf[i:i + size], i + size
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield number, wire, value


def records(data: bytes):
    """The payloads of a TFRecord stream (CRCs are not checked; a truncated last record is ignored)."""
    i = 0
    while i + 12 <= len(data):
        (length,) = struct.unpack_from("<Q", data, i)
        start = i + 12
        if start + length + 4 > len(data):
            return
        yield data[start:start + length]
        i = start + length + 4


def scalars(event: bytes):
    """(step, tag, value) of each simple_value in one Event."""
    step, summary = 0, None
    for number, _, value in fields(event):
        if number == 2:
            step = value
        elif number == 5:
            summary = value
    if summary is None:
        return
    for number, _, value in fields(summary):
        if number != 1:
            continue
        tag, simple = None, None
        for n, wire, v in fields(value):
            if n == 1:
                tag = v.decode("utf-8", "replace")
            elif n == 2 and wire == 5:
                (simple,) = struct.unpack("<f", v)
        if tag is not None and simple is not None:
            yield step, tag, simple


def metrics_from_events(folder: Path) -> dict:
    files = sorted(folder.rglob("events.out.tfevents.*"))
    if not files:
        raise SystemExit(f"no events.out.tfevents.* under {folder}: was the trainer run with --use_tensorboard {folder}?")
    latest: dict[str, tuple[int, float]] = {}
    for file in files:
        for payload in records(file.read_bytes()):
            for step, tag, value in scalars(payload):
                if math.isfinite(value) and (tag not in latest or step >= latest[tag][0]):
                    latest[tag] = (step, value)
    metrics = {re.sub(r"[^A-Za-z0-9_]", "_", tag): round(value, 6) for tag, (_, value) in latest.items()}
    metrics["steps"] = max((s for s, _ in latest.values()), default=0)
    return metrics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    metrics = metrics_from_events(Path(args.dir))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"metrics: {len(metrics)} values up to step {metrics['steps']}")


if __name__ == "__main__":
    main()
