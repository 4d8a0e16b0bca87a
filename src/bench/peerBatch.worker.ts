/**
 * One end of the peer-batch transport benchmark: how fast PeerBatches (runtime/protocol.ts)
 * cross a MessagePort between two workers, structured-cloned as they are versus packed into
 * transferred ArrayBuffers (src/workers/transport). Measured end to end: the producer encodes
 * and posts, the consumer decodes to records and reads a field of every record, as a
 * TaskManager's input gates must.
 *
 * Two modes:
 * - `stream`: the producer posts every batch back to back (no flow control), like the raw
 *   reference; the rate a port can carry;
 * - `lockstep`: one batch in flight, the consumer acknowledges each after decoding (the tick
 *   protocol's pattern: a TM waits for its peers' batch of tick t before tick t+1).
 *
 * Batches are built before the clock starts (the engine has them already); records come from
 * a pool, shaped like the sources' `{ key, value, ts }` or a wider mixed record.
 */
import type { BufferShipment } from '../engine/network/messages';
import type { PeerBatch } from '../engine/runtime/protocol';
import type { StreamRecord } from '../engine/runtime/types';
import { decodeBatch, encodeBatch, type BatchEncoding, type WireBatch } from '../workers/transport/peerTransport';

export type RecordKind = 'source' | 'wide';
export type BenchMode = 'stream' | 'lockstep';

export interface PeerBatchBenchStart {
  role: 'producer' | 'consumer';
  port: MessagePort;
  encoding: BatchEncoding;
  mode: BenchMode;
  kind: RecordKind;
  records: number;
  recordsPerBatch: number;
}

const BUFFER_RECORDS = 256;

function pool(kind: RecordKind): StreamRecord[] {
  return Array.from({ length: 4096 }, (_, i): StreamRecord => (kind === 'source'
    ? { key: `key-${i % 1000}`, value: (i * 7919) % 1000, ts: i * 3 }
    : { key: `key-${i % 1000}`, user: `user-${i % 300}`, amount: i * 0.25, count: i, ok: i % 3 === 0, note: i % 5 === 0 ? null : 'n', ts: i * 3 }));
}

function makeBatch(records: StreamRecord[], start: number, count: number, tick: number): PeerBatch {
  const shipments: BufferShipment[] = [];
  for (let first = 0, seq = 0; first < count; first += BUFFER_RECORDS, seq++) {
    const n = Math.min(BUFFER_RECORDS, count - first);
    const recs: StreamRecord[] = [];
    const timestamps: number[] = [];
    for (let i = 0; i < n; i++) {
      const record = records[(start + first + i) % records.length] as StreamRecord;
      recs.push(record);
      timestamps.push(record.ts as number);
    }
    shipments.push({
      channel: seq % 8, sequenceNumber: seq, backlog: 0,
      buffer: { records: recs, timestamps, events: [{ type: 'watermark', timestamp: tick }], eventPositions: [n] },
    });
  }
  return { from: 0, to: 1, tick, shipments, backlogs: [{ channel: 3, backlog: 1 }], credits: [{ channel: 2, credit: 2 }] };
}

function produce(start: PeerBatchBenchStart): void {
  const { port, encoding, mode, records, recordsPerBatch } = start;
  const data = pool(start.kind);
  const batches = Array.from({ length: 8 }, (_, i) => makeBatch(data, i * 512, recordsPerBatch, i));
  const total = Math.ceil(records / recordsPerBatch);
  let sent = 0;
  let started = 0;
  let encodeMs = 0;
  const post = (): void => {
    // Encode and post together: a clone's serialisation happens inside postMessage.
    const t0 = performance.now();
    const { message, transfer } = encodeBatch(batches[sent % batches.length] as PeerBatch, encoding);
    sent++;
    port.postMessage({ batch: message, last: sent === total }, transfer);
    encodeMs += performance.now() - t0;
  };
  port.onmessage = (event: MessageEvent<{ ack?: true; done?: true; decodeMs?: number }>) => {
    if (event.data.done === true) {
      self.postMessage({ records: total * recordsPerBatch, ms: performance.now() - started, encodeMs, decodeMs: event.data.decodeMs });
    } else if (sent < total) {
      post();
    }
  };
  started = performance.now();
  if (mode === 'lockstep') post();
  else while (sent < total) post();
}

function consume(start: PeerBatchBenchStart): void {
  const { port, mode } = start;
  let sum = 0;
  let decodeMs = 0;
  port.onmessage = (event: MessageEvent<{ batch: WireBatch; last: boolean }>) => {
    const t0 = performance.now();
    const batch = decodeBatch(event.data.batch);
    for (const shipment of batch.shipments) {
      for (const record of shipment.buffer.records) sum += record.ts as number;
    }
    decodeMs += performance.now() - t0;
    if (event.data.last) port.postMessage({ done: true, sum, decodeMs });
    else if (mode === 'lockstep') port.postMessage({ ack: true });
  };
}

self.onmessage = (event: MessageEvent<PeerBatchBenchStart>) => {
  if (event.data.role === 'producer') produce(event.data);
  else consume(event.data);
};
