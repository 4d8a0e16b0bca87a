import { describe, expect, it } from 'vitest';
import { CreditAccount } from './CreditAccount';

describe('CreditAccount', () => {
  it('starts with no credit', () => {
    const account = new CreditAccount();
    expect(account.available).toBe(0);
    expect(account.canSend()).toBe(false);
  });

  it('grants and spends one credit per buffer', () => {
    const account = new CreditAccount();
    account.grant(2);
    expect(account.canSend()).toBe(true);
    account.spend();
    account.spend();
    expect(account.available).toBe(0);
    expect(account.canSend()).toBe(false);
    expect(account.granted).toBe(2);
    expect(account.spent).toBe(2);
  });

  it('refuses to spend credit it does not hold', () => {
    const account = new CreditAccount();
    expect(() => account.spend()).toThrow(/without credit/);
    account.grant(1);
    account.spend();
    expect(() => account.spend()).toThrow(/without credit/);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects a grant of %s', (amount) => {
    const account = new CreditAccount();
    expect(() => account.grant(amount)).toThrow(RangeError);
    expect(account.available).toBe(0);
  });

  it('keeps granted - spent === available over any sequence', () => {
    const account = new CreditAccount();
    const steps = [3, -1, -1, 2, -1, -1, -1, 5, -1];
    for (const step of steps) {
      if (step > 0) account.grant(step);
      else account.spend();
      expect(account.granted - account.spent).toBe(account.available);
    }
    expect(account.available).toBe(4);
  });
});
