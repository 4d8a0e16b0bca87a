/**
 * A PeerBatch (runtime/protocol.ts) packed for `postMessage` between TaskManager workers:
 * the bulk of it (record values, event times, buffer headers) in three typed arrays whose
 * ArrayBuffers are transferred, not cloned; strings once each in one joined string.
 *
 * Why not clone the batch as it is: structured cloning an array of record objects serialises
 * every field name of every record and walks every object; here a record costs a shape id,
 * one tag byte per field and one float64 per field, and a field name or a string value that
 * repeats (keys, names) crosses once per batch. `src/bench` measures both forms
 * (`npm run bench`, "peer batch" rows); the packed form is the default transport.
 *
 * Records are schema-less flat objects (StreamRecord: string, number, boolean or null
 * fields). A record's *shape* is its field names in enumeration order; decoding assigns the
 * fields in that order, so the decoded record enumerates exactly like the original and hashes
 * the same (cluster/recordHash.ts hashes field names, values and IEEE-754 bits in order).
 * The transport is faithful beyond the record type, because a transport must never be where a
 * value changes: -0, NaN and ±Infinity keep their bits, strings keep lone surrogates (they are
 * joined and sliced as UTF-16, never UTF-8 encoded), `undefined` fields stay, a field named
 * `__proto__` stays an own field, and any other value (a list, a nested object) travels by
 * structured clone in a side array.
 *
 * Events (watermarks, barriers, idle, end-of-partition), backlog and credit announcements are
 * few and small: they travel as plain cloned arrays next to the packed part.
 *
 * Speed (this is the data plane's hot path): two passes over the records, the first finding
 * each record's shape and sizing the arrays exactly, so the second writes without bounds
 * checks; cursors are locals, never object fields; the decoder makes each record by spreading
 * a per-shape template (one hidden class per shape) and overwriting its fields.
 *
 * Layout: the encoder writes and the decoder reads the same sequence of values, each stream
 * with its own cursor:
 *   per shipment  num: channel, sequenceNumber, backlog, records, events; then per event num: position
 *   per record    u32: shape id; tag: timestamp tag; num (if timestamp is a number): timestamp
 *   per field     tag: value tag; num (number) or u32 (string index, other index): payload
 * Shapes are declared inline: shape id = number of shapes so far means "new shape", followed by
 * u32: field count, then u32 string index per field name.
 */
import type { BufferShipment } from '../../engine/network/messages';
import type { NetworkBuffer } from '../../engine/network/NetworkBuffer';
import type { PeerBatch } from '../../engine/runtime/protocol';
import type { StreamEvent, StreamRecord, VirtualMs } from '../../engine/runtime/types';

/** Bumped on an incompatible layout change; decode refuses other versions. */
export const PACKED_BATCH_VERSION = 1;

/** A PeerBatch as it crosses a MessagePort (post it with {@link transferablesOf}). */
export interface PackedPeerBatch {
  format: 'packed';
  version: typeof PACKED_BATCH_VERSION;
  from: number;
  to: number;
  tick: number;
  backlogs: PeerBatch['backlogs'];
  credits: PeerBatch['credits'];
  shipments: number;
  /** Every shipment's events, concatenated in shipment order. */
  events: StreamEvent[];
  /** Unique strings (field names and string values), concatenated. */
  strings: string;
  /** End offset (UTF-16 units) in `strings` of each unique string. */
  stringEnds: Uint32Array;
  num: Float64Array;
  u32: Uint32Array;
  tag: Uint8Array;
  /** Field values that are not string, number, boolean, null or undefined (structured clone). */
  others: unknown[];
}

const TS_NUMBER = 0;
const TS_NULL = 1;

const V_NUMBER = 0;
const V_STRING = 1;
const V_TRUE = 2;
const V_FALSE = 3;
const V_NULL = 4;
const V_UNDEFINED = 5;
const V_OTHER = 6;

/** A record shape while encoding. */
interface Shape {
  id: number;
  names: string[];
}

/** Does `record` enumerate exactly `names`, in order? */
function matches(record: StreamRecord, names: readonly string[]): boolean {
  let i = 0;
  for (const name in record) {
    if (names[i] !== name) return false;
    i++;
  }
  return i === names.length;
}

/** Finds records' shapes: the last one matched first (records mostly share one), then by first field. */
class ShapeTable {
  readonly shapes: Shape[] = [];
  private readonly byFirst = new Map<string, Shape[]>();
  private last: Shape | undefined;

  of(record: StreamRecord): Shape {
    const last = this.last;
    if (last !== undefined && matches(record, last.names)) return last;
    let first = '';
    for (const name in record) {
      first = name;
      break;
    }
    let candidates = this.byFirst.get(first);
    if (candidates === undefined) {
      candidates = [];
      this.byFirst.set(first, candidates);
    }
    let shape = candidates.find((candidate) => matches(record, candidate.names));
    if (shape === undefined) {
      shape = { id: this.shapes.length, names: Object.keys(record) };
      this.shapes.push(shape);
      candidates.unshift(shape);
    }
    this.last = shape;
    return shape;
  }
}

/** Packs a batch. The input is not modified; records may be shared with other buffers. */
export function packPeerBatch(batch: PeerBatch): PackedPeerBatch {
  // Pass 1: every record's shape, and the exact sizes of the streams.
  const table = new ShapeTable();
  let recordCount = 0;
  let eventCount = 0;
  for (const { buffer } of batch.shipments) {
    recordCount += buffer.records.length;
    eventCount += buffer.events.length;
  }
  const shapeIds = new Uint32Array(recordCount);
  let fields = 0;
  let r = 0;
  for (const { buffer } of batch.shipments) {
    for (const record of buffer.records) {
      const shape = table.of(record);
      shapeIds[r++] = shape.id;
      fields += shape.names.length;
    }
  }
  let declared = 0;
  for (const shape of table.shapes) declared += 1 + shape.names.length;
  // Pass 2: write. Upper bounds: every field could be a number (num) or a string (u32).
  const num = new Float64Array(5 * batch.shipments.length + eventCount + recordCount + fields);
  const u32 = new Uint32Array(recordCount + declared + fields);
  const tag = new Uint8Array(recordCount + fields);
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const others: unknown[] = [];
  const events: StreamEvent[] = [];
  const isDeclared = new Uint8Array(table.shapes.length);
  let ni = 0;
  let ui = 0;
  let ti = 0;
  r = 0;
  for (const shipment of batch.shipments) {
    const { records, timestamps } = shipment.buffer;
    num[ni++] = shipment.channel;
    num[ni++] = shipment.sequenceNumber;
    num[ni++] = shipment.backlog;
    num[ni++] = records.length;
    num[ni++] = shipment.buffer.events.length;
    for (let j = 0; j < shipment.buffer.events.length; j++) {
      num[ni++] = shipment.buffer.eventPositions[j] as number;
      events.push(shipment.buffer.events[j] as StreamEvent);
    }
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as StreamRecord;
      const id = shapeIds[r++] as number;
      const names = (table.shapes[id] as Shape).names;
      u32[ui++] = id;
      if (isDeclared[id] === 0) {
        isDeclared[id] = 1;
        u32[ui++] = names.length;
        for (const name of names) {
          let sid = stringIds.get(name);
          if (sid === undefined) {
            sid = strings.push(name) - 1;
            stringIds.set(name, sid);
          }
          u32[ui++] = sid;
        }
      }
      const timestamp = timestamps[i] ?? null;
      if (timestamp === null) {
        tag[ti++] = TS_NULL;
      } else {
        tag[ti++] = TS_NUMBER;
        num[ni++] = timestamp;
      }
      for (let f = 0; f < names.length; f++) {
        const value: unknown = record[names[f] as string];
        if (typeof value === 'number') {
          tag[ti++] = V_NUMBER;
          num[ni++] = value;
        } else if (typeof value === 'string') {
          let sid = stringIds.get(value);
          if (sid === undefined) {
            sid = strings.push(value) - 1;
            stringIds.set(value, sid);
          }
          tag[ti++] = V_STRING;
          u32[ui++] = sid;
        } else if (value === null) {
          tag[ti++] = V_NULL;
        } else if (value === true) {
          tag[ti++] = V_TRUE;
        } else if (value === false) {
          tag[ti++] = V_FALSE;
        } else if (value === undefined) {
          tag[ti++] = V_UNDEFINED;
        } else {
          tag[ti++] = V_OTHER;
          u32[ui++] = others.push(value) - 1;
        }
      }
    }
  }
  const stringEnds = new Uint32Array(strings.length);
  let end = 0;
  for (let i = 0; i < strings.length; i++) {
    end += (strings[i] as string).length;
    stringEnds[i] = end;
  }
  return {
    format: 'packed', version: PACKED_BATCH_VERSION,
    from: batch.from, to: batch.to, tick: batch.tick,
    backlogs: batch.backlogs, credits: batch.credits,
    shipments: batch.shipments.length,
    events,
    strings: strings.join(''),
    stringEnds,
    // Views of the written part; the whole buffers are transferred (no copy).
    num: num.subarray(0, ni),
    u32: u32.subarray(0, ui),
    tag: tag.subarray(0, ti),
    others,
  };
}

/** The ArrayBuffers to list as transferables when posting `packed`. */
export function transferablesOf(packed: PackedPeerBatch): ArrayBuffer[] {
  const buffers = [packed.num.buffer, packed.u32.buffer, packed.tag.buffer, packed.stringEnds.buffer] as ArrayBuffer[];
  return buffers.filter((buffer, i) => buffers.indexOf(buffer) === i);
}

function truncated(): never {
  throw new Error('Packed peer batch is truncated: encoder and decoder disagree on the layout.');
}

function sliceStrings(joined: string, ends: Uint32Array): string[] {
  const strings = new Array<string>(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] as number;
    if (end < start || end > joined.length) throw new Error('Packed peer batch: string table is corrupt.');
    strings[i] = joined.slice(start, end);
    start = end;
  }
  return strings;
}

/** A decoded shape: its field names and a record with those fields in order, to spread. */
interface Template {
  names: string[];
  record: StreamRecord;
}

function templateOf(names: string[]): Template {
  const record: StreamRecord = {};
  for (const name of names) {
    // A field named __proto__ must stay an own field (plain assignment would set the prototype).
    Object.defineProperty(record, name, { value: null, enumerable: true, writable: true, configurable: true });
  }
  return { names, record };
}

/**
 * Unpacks a batch into plain PeerBatch data (new records, new buffers).
 *
 * @throws Error when the message is not a packed batch of this version, or is truncated or
 * corrupt (a transport must fail loudly rather than deliver wrong records).
 */
export function unpackPeerBatch(packed: PackedPeerBatch): PeerBatch {
  if (packed === null || typeof packed !== 'object' || packed.format !== 'packed') {
    throw new Error('Not a packed peer batch.');
  }
  if (packed.version !== PACKED_BATCH_VERSION) {
    throw new Error(`Packed peer batch version ${String(packed.version)} is not ${PACKED_BATCH_VERSION}; reload so every worker runs the same build.`);
  }
  const strings = sliceStrings(packed.strings, packed.stringEnds);
  const { num, u32, tag, others } = packed;
  const allEvents = packed.events;
  const templates: Template[] = [];
  const shipments: BufferShipment[] = [];
  let ni = 0;
  let ui = 0;
  let ti = 0;
  let ei = 0;
  for (let s = 0; s < packed.shipments; s++) {
    if (ni + 5 > num.length) truncated();
    const channel = num[ni++] as number;
    const sequenceNumber = num[ni++] as number;
    const backlog = num[ni++] as number;
    const recordCount = num[ni++] as number;
    const eventCount = num[ni++] as number;
    if (ni + eventCount > num.length || ei + eventCount > allEvents.length || recordCount > tag.length - ti) truncated();
    const events = new Array<StreamEvent>(eventCount);
    const eventPositions = new Array<number>(eventCount);
    for (let j = 0; j < eventCount; j++) {
      eventPositions[j] = num[ni++] as number;
      events[j] = allEvents[ei++] as StreamEvent;
    }
    const records = new Array<StreamRecord>(recordCount);
    const timestamps = new Array<VirtualMs | null>(recordCount);
    for (let i = 0; i < recordCount; i++) {
      if (ui >= u32.length) truncated();
      const id = u32[ui++] as number;
      let template = templates[id];
      if (template === undefined) {
        if (id !== templates.length || ui >= u32.length) truncated();
        const count = u32[ui++] as number;
        if (count > u32.length - ui) truncated();
        const names = new Array<string>(count);
        for (let f = 0; f < count; f++) {
          const name = strings[u32[ui++] as number];
          if (name === undefined) truncated();
          names[f] = name;
        }
        template = templateOf(names);
        templates.push(template);
      }
      const names = template.names;
      const n = names.length;
      if (ti + 1 + n > tag.length) truncated();
      timestamps[i] = tag[ti++] === TS_NULL ? null : (num[ni++] as number);
      const record: Record<string, unknown> = { ...template.record };
      for (let f = 0; f < n; f++) {
        const t = tag[ti++];
        let value: unknown;
        if (t === V_NUMBER) value = num[ni++];
        else if (t === V_STRING) {
          value = strings[u32[ui++] as number];
          if (value === undefined) truncated();
        }
        else if (t === V_NULL) value = null;
        else if (t === V_TRUE) value = true;
        else if (t === V_FALSE) value = false;
        else if (t === V_UNDEFINED) value = undefined;
        else if (t === V_OTHER) value = others[u32[ui++] as number];
        else truncated();
        record[names[f] as string] = value;
      }
      if (ni > num.length || ui > u32.length) truncated();
      records[i] = record as StreamRecord;
    }
    const buffer: NetworkBuffer = { records, timestamps, events, eventPositions };
    shipments.push({ channel, sequenceNumber, backlog, buffer });
  }
  if (ni !== num.length || ui !== u32.length || ti !== tag.length || ei !== allEvents.length) {
    throw new Error('Packed peer batch has trailing data: encoder and decoder disagree on the layout.');
  }
  return { from: packed.from, to: packed.to, tick: packed.tick, shipments, backlogs: packed.backlogs, credits: packed.credits };
}
