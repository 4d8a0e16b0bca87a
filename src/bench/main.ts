/**
 * The benchmark page (bench.html). `npm run bench` opens it in headless Chromium and calls
 * `window.sluiceBench`; the job benchmarks run on the app page through `window.sluice`.
 */
import * as stateBench from './stateBench';

export interface TransferResult {
  records: number;
  ms: number;
  recordsPerSecond: number;
}

function newWorker(): Worker {
  return new Worker(new URL('./transfer.worker.ts', import.meta.url), { type: 'module' });
}

/** Raw worker → worker rate: packed records in transferred ArrayBuffers, decoded by the consumer. */
async function transferRate(records: number): Promise<TransferResult> {
  const producer = newWorker();
  const consumer = newWorker();
  const channel = new MessageChannel();
  try {
    const done = new Promise<{ records: number; ms: number }>((resolve, reject) => {
      producer.onmessage = (event: MessageEvent<{ records: number; ms: number }>) => resolve(event.data);
      producer.onerror = (event) => reject(new Error(event.message));
      consumer.onerror = (event) => reject(new Error(event.message));
    });
    consumer.postMessage({ role: 'consumer', port: channel.port2 }, [channel.port2]);
    producer.postMessage({ role: 'producer', port: channel.port1, records }, [channel.port1]);
    const result = await done;
    return { ...result, recordsPerSecond: (result.records / result.ms) * 1000 };
  } finally {
    producer.terminate();
    consumer.terminate();
  }
}

export interface PeerBatchCase {
  encoding: 'packed' | 'clone';
  mode: 'stream' | 'lockstep';
  kind: 'source' | 'wide';
  records: number;
  recordsPerBatch: number;
}

/**
 * PeerBatches between two workers (src/bench/peerBatch.worker.ts): structured clone versus the
 * packed transferable form of src/workers/transport, encode + post + decode, records/s.
 */
async function peerBatchRate(options: PeerBatchCase): Promise<TransferResult & { encodeMs: number; decodeMs: number }> {
  const newPeer = (): Worker => new Worker(new URL('./peerBatch.worker.ts', import.meta.url), { type: 'module' });
  const producer = newPeer();
  const consumer = newPeer();
  const channel = new MessageChannel();
  try {
    type Done = { records: number; ms: number; encodeMs: number; decodeMs: number };
    const done = new Promise<Done>((resolve, reject) => {
      producer.onmessage = (event: MessageEvent<Done>) => resolve(event.data);
      producer.onerror = (event) => reject(new Error(event.message));
      consumer.onerror = (event) => reject(new Error(event.message));
    });
    consumer.postMessage({ ...options, role: 'consumer', port: channel.port2 }, [channel.port2]);
    producer.postMessage({ ...options, role: 'producer', port: channel.port1 }, [channel.port1]);
    const result = await done;
    return { ...result, recordsPerSecond: (result.records / result.ms) * 1000 };
  } finally {
    producer.terminate();
    consumer.terminate();
  }
}

/**
 * A job on real worker TaskManagers (nested in a JobManager-like worker) next to the same job
 * in-process: wall times, trace hashes, outputs (src/bench/cluster.worker.ts).
 */
async function workerCluster(request: {
  job: unknown;
  config: Record<string, unknown>;
  virtualMs: number;
  /** Check the tick deadline: on TaskManager `taskManager`, its subtask at `position` spins forever from `tick` on. */
  hang?: { taskManager: number; tick: number; position: number; deadlineMs: number };
}): Promise<unknown> {
  const worker = new Worker(new URL('./cluster.worker.ts', import.meta.url), { type: 'module' });
  try {
    return await new Promise((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<unknown>) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage(request);
    });
  } finally {
    worker.terminate();
  }
}

declare global {
  interface Window {
    sluiceBench?: {
      transferRate: typeof transferRate;
      peerBatchRate: typeof peerBatchRate;
      workerCluster: typeof workerCluster;
      state: typeof stateBench;
    };
  }
}

window.sluiceBench = { transferRate, peerBatchRate, workerCluster, state: stateBench };
document.body.dataset.ready = 'true';
