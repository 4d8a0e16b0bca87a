/**
 * The sender's view of one channel's credit (Flink's credit-based flow control,
 * `CreditBasedSequenceNumberingViewReader.numCreditsAvailable`).
 *
 * A credit is the receiver's promise of one free input buffer. The sender may ship a buffer
 * on the channel only while it holds a credit, and shipping spends it; the receiver grants
 * more as it frees buffers (`AddCredit`). So a slow receiver stops the flow on its own
 * channel without blocking any other channel of the same connection, which is the whole
 * point of Flink's design over TCP-level backpressure.
 *
 * Tiny and strict: granting a non-positive or fractional amount, or spending credit that is
 * not there, is a protocol bug in the caller and throws.
 */
export class CreditAccount {
  private credit = 0;
  private grantedTotal = 0;
  private spentTotal = 0;

  /** Credits currently held: buffers the sender may ship now. */
  get available(): number {
    return this.credit;
  }

  /** Credits received since creation (telemetry, invariant checks). */
  get granted(): number {
    return this.grantedTotal;
  }

  /** Credits spent since creation; `granted - spent === available` always. */
  get spent(): number {
    return this.spentTotal;
  }

  /**
   * Adds `amount` credits announced by the receiver.
   *
   * @throws RangeError unless `amount` is a positive integer.
   */
  grant(amount: number): void {
    if (!Number.isInteger(amount) || amount < 1) {
      throw new RangeError(`Credit grant ${String(amount)} must be a positive integer.`);
    }
    this.credit += amount;
    this.grantedTotal += amount;
  }

  /** True when at least one credit is available. */
  canSend(): boolean {
    return this.credit > 0;
  }

  /**
   * Spends one credit for a buffer about to be shipped.
   *
   * @throws Error when no credit is left: shipping without credit would overrun the
   * receiver's buffers.
   */
  spend(): void {
    if (this.credit < 1) {
      throw new Error('Cannot ship a buffer without credit: the receiver has no free buffer for it.');
    }
    this.credit--;
    this.spentTotal++;
  }

  /** Forgets held credit (a channel reset: the receiver starts over and announces afresh). Totals stay. */
  reset(): void {
    this.credit = 0;
  }
}
