import { signWebhook, verifyWebhook, webhookHeaders, newWebhookSecret } from './webhook-signature';

describe('Standard Webhooks signing', () => {
  // The example of the Standard Webhooks specification and its reference libraries.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = 1614265330;
  const body = '{"test": 2432232314}';

  it('matches the specification example', () => {
    expect(signWebhook(secret, id, timestamp, body)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('verifies a signed message and answers the parsed body', () => {
    const now = new Date(timestamp * 1000);
    const headers = webhookHeaders(secret, id, body, now);
    expect(verifyWebhook(secret, headers, body, { now })).toEqual({ test: 2432232314 });
    // Header names in any case, several signatures (rotation), one of them valid.
    const mixed = {
      'Webhook-Id': id,
      'Webhook-Timestamp': String(timestamp),
      'Webhook-Signature': `v1,bm90LXRoZS1zaWduYXR1cmU= ${headers['webhook-signature']}`,
    };
    expect(verifyWebhook(secret, mixed, Buffer.from(body), { now })).toEqual({ test: 2432232314 });
  });

  it('refuses a changed body, another id, an old or future timestamp, another secret', () => {
    const now = new Date(timestamp * 1000);
    const headers = webhookHeaders(secret, id, body, now);
    expect(() => verifyWebhook(secret, headers, body.replace('2', '3'), { now })).toThrow(
      /signature/,
    );
    expect(() =>
      verifyWebhook(secret, { ...headers, 'webhook-id': 'msg_other' }, body, { now }),
    ).toThrow(/signature/);
    expect(() =>
      verifyWebhook(secret, headers, body, { now: new Date((timestamp + 301) * 1000) }),
    ).toThrow(/timestamp/);
    expect(() =>
      verifyWebhook(secret, headers, body, { now: new Date((timestamp - 301) * 1000) }),
    ).toThrow(/timestamp/);
    expect(() => verifyWebhook(newWebhookSecret(), headers, body, { now })).toThrow(/signature/);
    expect(() => verifyWebhook(secret, { 'webhook-id': id }, body, { now })).toThrow(/missing/);
  });

  it('makes secrets of 32 random bytes with the whsec_ prefix', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
