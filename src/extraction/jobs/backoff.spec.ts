import { jitterFactor, retryDelaySeconds } from './backoff';

const policy = { maxRetries: 5, baseSeconds: 60, capSeconds: 600, jitter: 0.2 };

describe('retryDelaySeconds', () => {
  it('doubles from the base for each retry', () => {
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n, policy))).toEqual([60, 120, 240, 480]);
  });

  it('never exceeds the cap', () => {
    expect(retryDelaySeconds(5, policy)).toBe(600);
    expect(retryDelaySeconds(30, policy)).toBe(600);
  });

  it('applies the jitter factor after the cap', () => {
    expect(retryDelaySeconds(10, policy, 1.2)).toBe(720);
  });

  it('refuses retry numbers below 1', () => {
    expect(() => retryDelaySeconds(0, policy)).toThrow(RangeError);
  });
});

describe('jitterFactor', () => {
  it('spans [1 - j, 1 + j]', () => {
    expect(jitterFactor(policy, () => 0)).toBeCloseTo(0.8);
    expect(jitterFactor(policy, () => 0.5)).toBeCloseTo(1);
    expect(jitterFactor(policy, () => 1)).toBeCloseTo(1.2);
  });

  it('is 1 without jitter', () => {
    expect(jitterFactor({ jitter: 0 }, () => 0.9)).toBe(1);
  });
});
