/**
 * A TaskManager's tick-done report as it crosses to the JobManager worker: collect sinks'
 * records are the bulk of it (every record a sink writes goes to the JobManager, which keeps
 * the output), so above a few records they travel packed and transferred like peer batches
 * (packedBatch.ts), each sink's records as one "shipment"; the rest of the report is small and
 * is cloned as it is.
 */
import type { BufferShipment } from '../../engine/network/messages';
import type { PeerBatch, SinkDelta, TickDoneMessage } from '../../engine/runtime/protocol';
import type { StreamRecord } from '../../engine/runtime/types';
import { packPeerBatch, transferablesOf, unpackPeerBatch, type PackedPeerBatch } from './packedBatch';

/** Below this many sink records in a report, cloning costs less than packing. */
export const PACK_SINK_RECORDS_FROM = 64;

export interface PackedTickDone {
  type: 'tick-done-packed';
  /** The report with every sink's `written` emptied. */
  report: TickDoneMessage;
  /** Shipment i holds the records of `report.sinks[i]`. */
  records: PackedPeerBatch;
}

export type WireTickDone = TickDoneMessage | PackedTickDone;

export function encodeTickDone(report: TickDoneMessage, packFrom = PACK_SINK_RECORDS_FROM): { message: WireTickDone; transfer: Transferable[] } {
  let count = 0;
  for (const sink of report.sinks) count += sink.written.length;
  if (count < packFrom) return { message: report, transfer: [] };
  const shipments = report.sinks.map((sink, i): BufferShipment => ({
    channel: i, sequenceNumber: 0, backlog: 0,
    buffer: { records: sink.written, timestamps: [], events: [], eventPositions: [] },
  }));
  const batch: PeerBatch = { from: report.taskManager, to: -1, tick: report.tick, shipments, backlogs: [], credits: [] };
  const records = packPeerBatch(batch);
  const sinks = report.sinks.map((sink): SinkDelta => ({ ...sink, written: [] }));
  return { message: { type: 'tick-done-packed', report: { ...report, sinks }, records }, transfer: transferablesOf(records) };
}

export function decodeTickDone(message: WireTickDone): TickDoneMessage {
  if (message.type === 'tick-done') return message;
  const batch = unpackPeerBatch(message.records);
  const sinks = message.report.sinks.map((sink, i): SinkDelta => {
    const shipment = batch.shipments[i];
    if (shipment === undefined) throw new Error(`Packed tick report: no records for sink ${sink.operatorId}#${sink.index}.`);
    return { ...sink, written: shipment.buffer.records as StreamRecord[] };
  });
  return { ...message.report, sinks };
}
