/**
 * Retry backoff: delay = min(base · 2^(n−1), cap) · jitter, n = the retry about to happen (1, 2, …),
 * jitter uniform in [1 − j, 1 + j]. The SQL in ExtractionJobRepository.fail applies the same formula
 * with the jitter factor drawn here.
 */
import { RetryPolicy } from '../../config/app-config';

export function jitterFactor(
  policy: Pick<RetryPolicy, 'jitter'>,
  random: () => number = Math.random,
): number {
  return 1 - policy.jitter + 2 * policy.jitter * random();
}

export function retryDelaySeconds(
  retryNumber: number,
  policy: RetryPolicy,
  factor: number = 1,
): number {
  if (retryNumber < 1) throw new RangeError('retryNumber starts at 1');
  return Math.min(policy.baseSeconds * 2 ** (retryNumber - 1), policy.capSeconds) * factor;
}
