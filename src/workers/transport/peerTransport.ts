/**
 * How a PeerBatch crosses a MessagePort between TaskManager workers: packed into transferred
 * ArrayBuffers (the default, see packedBatch.ts for why and `npm run bench` for the figures)
 * or structured-cloned as it is (kept for comparison and as a fallback switch).
 */
import type { PeerBatch } from '../../engine/runtime/protocol';
import { packPeerBatch, transferablesOf, unpackPeerBatch, type PackedPeerBatch } from './packedBatch';

export type BatchEncoding = 'packed' | 'clone';

/** The measured winner (`npm run bench`, peer batch rows). */
export const DEFAULT_BATCH_ENCODING: BatchEncoding = 'packed';

export type WireBatch = PackedPeerBatch | { format: 'clone'; batch: PeerBatch };

/** A message to post and the buffers to transfer with it. */
export interface EncodedBatch {
  message: WireBatch;
  transfer: Transferable[];
}

export function encodeBatch(batch: PeerBatch, encoding: BatchEncoding = DEFAULT_BATCH_ENCODING): EncodedBatch {
  if (encoding === 'clone') return { message: { format: 'clone', batch }, transfer: [] };
  const packed = packPeerBatch(batch);
  return { message: packed, transfer: transferablesOf(packed) };
}

/** @throws Error when `message` is neither form. */
export function decodeBatch(message: WireBatch): PeerBatch {
  if (message !== null && typeof message === 'object' && message.format === 'clone') return message.batch;
  return unpackPeerBatch(message as PackedPeerBatch);
}
