/**
 * The three messages of the data plane, as plain data so any transport can carry them
 * (the in-memory LocalNetwork today, MessagePorts between TaskManager workers later).
 *
 * They follow Flink's credit-based protocol (`NettyMessage`): `BufferResponse` carries a
 * buffer with its sequence number and the sender's backlog, `AddCredit` returns credit to
 * the sender, and `BacklogAnnouncement` tells a receiver about a backlog the sender cannot
 * ship for lack of credit (without it, a channel with no exclusive buffers could never ask
 * for a floating one).
 *
 * Channels are named by a global channel id: the index of the channel in
 * `allChannels(executionGraph)` order, the same number on both sides.
 */
import type { NetworkBuffer } from './NetworkBuffer';

/** Sender → receiver: one buffer (Flink `NettyMessage.BufferResponse`). */
export interface BufferShipment {
  /** Global channel id. */
  channel: number;
  /**
   * 0, 1, 2… per channel. The receiver checks it, as Flink `RemoteInputChannel.onBuffer`
   * does, so a transport that reorders or drops buffers fails loudly instead of corrupting
   * the stream.
   */
  sequenceNumber: number;
  /** Buffers still queued at the sender for this channel after this one left. */
  backlog: number;
  buffer: NetworkBuffer;
}

/** Receiver → sender: `credit` more buffers are free for this channel (Flink `AddCredit`). */
export interface CreditAnnouncement {
  channel: number;
  credit: number;
}

/** Sender → receiver: the channel's backlog while it has no credit (Flink `BacklogAnnouncement`). */
export interface BacklogAnnouncement {
  channel: number;
  backlog: number;
}
