/**
 * The benchmark page (bench.html). `npm run bench` opens it in headless Chromium and calls
 * `window.sluiceBench`; the job benchmarks run on the app page through `window.sluice`.
 */

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

declare global {
  interface Window {
    sluiceBench?: { transferRate: typeof transferRate };
  }
}

window.sluiceBench = { transferRate };
document.body.dataset.ready = 'true';
