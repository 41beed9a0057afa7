import protobuf from 'protobufjs';
import { crc32c } from '@aws-crypto/crc32c';

// TensorBoard's event file: TFRecords (tensorflow/core/lib/io/record_writer.cc) holding Event protos
// (tensorflow/core/util/event.proto, summary.proto). protobufjs encodes the protos, @aws-crypto/crc32c computes
// the checksums; no maintained Node library writes event files whole (docs/tracking.md says why these two).
const PROTO = `
syntax = "proto3";
message SummaryValue { string tag = 1; oneof value { float simple_value = 2; } }
message Summary { repeated SummaryValue value = 1; }
message Event { double wall_time = 1; int64 step = 2; oneof what { string file_version = 3; Summary summary = 5; } }
`;
const Event = protobuf.parse(PROTO, { keepCase: true }).root.lookupType('Event');

export interface ScalarEvent {
  wallTime: number;
  step: number;
  scalars: Record<string, number>;
}

// The file's first record, which TensorBoard reads for the format version.
export function versionRecord(wallTime: number): Buffer {
  return frame(Event.encode(Event.create({ wall_time: wallTime, file_version: 'brain.Event:2' })).finish());
}

// One Event record holding one simple_value per scalar, all at one step.
export function scalarRecord(event: ScalarEvent): Buffer {
  const value = Object.entries(event.scalars).map(([tag, simple_value]) => ({ tag, simple_value }));
  return frame(Event.encode(Event.create({ wall_time: event.wallTime, step: event.step, summary: { value } })).finish());
}

// A TFRecord: length (uint64 LE), its masked CRC32C, the data, the data's masked CRC32C.
function frame(data: Uint8Array): Buffer {
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(data.length));
  return Buffer.concat([length, maskedCrc(length), Buffer.from(data), maskedCrc(data)]);
}

function maskedCrc(bytes: Uint8Array): Buffer {
  const crc = crc32c(bytes);
  const masked = ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
  const out = Buffer.alloc(4);
  out.writeUInt32LE(masked);
  return out;
}
