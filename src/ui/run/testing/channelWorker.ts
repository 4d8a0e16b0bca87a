/**
 * Test double for unit tests only (never imported by the app): a "worker" that is one end of
 * a MessageChannel, with `api` exposed by comlink on the other end, so the real client code
 * runs over real structured cloning and proxies. `crash()` fires a worker `error` event.
 */
import { expose } from 'comlink';
import type { WorkerLike } from '../clusterClient';

export interface ChannelWorker {
  worker: WorkerLike;
  crash(message?: string): void;
  terminated(): boolean;
  close(): void;
}

export function channelWorker(api: object): ChannelWorker {
  const channel = new MessageChannel();
  expose(api, channel.port2);
  const target = new EventTarget();
  let terminated = false;
  const close = () => {
    channel.port1.close();
    channel.port2.close();
  };
  const worker: WorkerLike = {
    postMessage: (message: unknown, transfer?: Transferable[]) => {
      if (!terminated) channel.port1.postMessage(message, transfer ?? []);
    },
    addEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
      if (type === 'message') channel.port1.addEventListener('message', listener as EventListener);
      else target.addEventListener(type, listener);
    },
    removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
      if (type === 'message') channel.port1.removeEventListener('message', listener as EventListener);
      else target.removeEventListener(type, listener);
    },
    start: () => channel.port1.start(),
    terminate: () => {
      terminated = true;
      close();
    },
  };
  return {
    worker,
    crash: (message) => {
      const event = new Event('error') as Event & { message?: string };
      if (message !== undefined) Object.defineProperty(event, 'message', { value: message });
      target.dispatchEvent(event);
    },
    terminated: () => terminated,
    close,
  };
}
