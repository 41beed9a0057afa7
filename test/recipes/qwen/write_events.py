"""Writes a TensorBoard event file byte by byte (TFRecord framing + Event protobuf), as torch.utils.tensorboard's
SummaryWriter does, for tests of tensorboard_metrics.py on a machine without tensorboard installed.

  write_events(path, [(step, [(tag, value), ...]), ...])
"""

import struct


def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def field(number, wire, payload):
    key = varint((number << 3) | wire)
    return key + (varint(len(payload)) + payload if wire == 2 else payload)


def event(step, scalars=None, version=None):
    body = field(1, 1, struct.pack("<d", 1700000000.0 + step)) + field(2, 0, varint(step))
    if version:
        body += field(3, 2, version.encode())
    if scalars:
        values = b"".join(field(1, 2, field(1, 2, tag.encode()) + field(2, 5, struct.pack("<f", v))) for tag, v in scalars)
        body += field(5, 2, values)
    return struct.pack("<Q", len(body)) + b"\0" * 4 + body + b"\0" * 4


def write_events(path, steps, torn_tail=False):
    with open(path, "wb") as f:
        f.write(event(0, version="brain.Event:2"))
        for step, scalars in steps:
            f.write(event(step, scalars))
        if torn_tail:
            f.write(b"\x10\x00")  # a torn last record is ignored
