/**
 * One end of the raw worker-to-worker transfer benchmark: the reference every engine figure
 * is divided by (issue: "ratio to the raw worker-to-worker transfer rate measured in the same
 * run"). A producer packs records {key: 8 ASCII chars, value, ts} 24 bytes each into
 * ArrayBuffers of 1,000 records and transfers them over a MessageChannel; the consumer decodes
 * every record back to an object and sums `value`, as the engine's receivers must.
 */
const RECORD_BYTES = 24;
const PER_BUFFER = 1_000;

type Start =
  | { role: 'producer'; port: MessagePort; records: number }
  | { role: 'consumer'; port: MessagePort };

function produce(port: MessagePort, records: number): void {
  const keys = Array.from({ length: 1_000 }, (_, i) => `key-${String(i).padStart(4, '0')}`);
  const started = performance.now();
  port.onmessage = () => {
    self.postMessage({ records, ms: performance.now() - started });
  };
  for (let sent = 0; sent < records; sent += PER_BUFFER) {
    const count = Math.min(PER_BUFFER, records - sent);
    const buffer = new ArrayBuffer(count * RECORD_BYTES);
    const bytes = new Uint8Array(buffer);
    const view = new DataView(buffer);
    for (let i = 0; i < count; i++) {
      const key = keys[(sent + i) % keys.length] ?? '';
      const at = i * RECORD_BYTES;
      for (let c = 0; c < 8; c++) bytes[at + c] = key.charCodeAt(c);
      view.setFloat64(at + 8, (sent + i) % 100, true);
      view.setFloat64(at + 16, sent + i, true);
    }
    port.postMessage({ count, buffer, last: sent + count >= records }, [buffer]);
  }
}

function consume(port: MessagePort): void {
  let sum = 0;
  port.onmessage = (event: MessageEvent<{ count: number; buffer: ArrayBuffer; last: boolean }>) => {
    const { count, buffer, last } = event.data;
    const bytes = new Uint8Array(buffer);
    const view = new DataView(buffer);
    for (let i = 0; i < count; i++) {
      const at = i * RECORD_BYTES;
      const record = {
        // Eight explicit arguments: spreading a subarray costs ~8× more than the decode itself.
        key: String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0,
          bytes[at + 4] ?? 0, bytes[at + 5] ?? 0, bytes[at + 6] ?? 0, bytes[at + 7] ?? 0),
        value: view.getFloat64(at + 8, true),
        ts: view.getFloat64(at + 16, true),
      };
      sum += record.value;
    }
    if (last) port.postMessage({ sum });
  };
}

self.onmessage = (event: MessageEvent<Start>) => {
  const start = event.data;
  if (start.role === 'producer') produce(start.port, start.records);
  else consume(start.port);
};
