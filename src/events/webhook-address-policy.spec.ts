import { LookupAddress } from 'node:dns';
import { WebhookAddressPolicy } from './webhook-address-policy';

/** A resolver answering fixed addresses per host name. */
function resolver(table: Record<string, string[]>) {
  return ((host: string, _opts: unknown, cb: (e: Error | null, a: LookupAddress[]) => void) => {
    const addresses = table[host];
    if (!addresses) cb(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
    else
      cb(
        null,
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
  }) as never;
}

describe(WebhookAddressPolicy.name, () => {
  const policy = new WebhookAddressPolicy({ allowHttp: false, allowedAddresses: [] });

  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fd00:ec2::254',
    'fc00::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
  ])('refuses %s', (address) => {
    expect(policy.refusal(address)).toMatch(/private|loopback|metadata/);
  });

  it.each(['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '172.32.0.1'])(
    'accepts %s',
    (address) => {
      expect(policy.refusal(address)).toBeNull();
    },
  );

  it('accepts allow-listed addresses and ranges', () => {
    const allowing = new WebhookAddressPolicy({
      allowHttp: true,
      allowedAddresses: ['127.0.0.1', '10.20.0.0/16'],
    });
    expect(allowing.refusal('127.0.0.1')).toBeNull();
    expect(allowing.refusal('10.20.3.4')).toBeNull();
    expect(allowing.refusal('10.21.0.1')).not.toBeNull();
    expect(allowing.refusal('127.0.0.2')).not.toBeNull();
  });

  it('accepts https only unless http is allowed; refuses credentials and garbage', () => {
    expect(() => policy.parse('http://example.com/')).toThrow(/https/);
    expect(() => policy.parse('ftp://example.com/')).toThrow(/https/);
    expect(() => policy.parse('https://user:pw@example.com/')).toThrow(/credentials/);
    expect(() => policy.parse('not a url')).toThrow(/valid/);
    expect(policy.parse('https://example.com/x').host).toBe('example.com');
    const dev = new WebhookAddressPolicy({ allowHttp: true, allowedAddresses: [] });
    expect(dev.parse('http://example.com/').protocol).toBe('http:');
  });

  it('checks every address a name resolves to', async () => {
    const p = new WebhookAddressPolicy(
      { allowHttp: false, allowedAddresses: [] },
      resolver({ 'good.test': ['93.184.216.34'], 'mixed.test': ['93.184.216.34', '10.0.0.7'] }),
    );
    await expect(p.check(new URL('https://good.test/'))).resolves.toEqual([
      { address: '93.184.216.34', family: 4 },
    ]);
    await expect(p.check(new URL('https://mixed.test/'))).rejects.toMatchObject({
      code: 'WEBHOOK_URL_REFUSED',
      message: expect.stringContaining('10.0.0.7'),
    });
    await expect(p.check(new URL('https://nowhere.test/'))).rejects.toThrow(/does not resolve/);
    await expect(p.check(new URL('https://[::1]/'))).rejects.toThrow(/loopback/);
  });

  it('hands the socket only checked addresses (no rebinding between check and connect)', async () => {
    let answer = ['93.184.216.34'];
    const p = new WebhookAddressPolicy({ allowHttp: false, allowedAddresses: [] }, ((
      _h: string,
      _o: unknown,
      cb: (e: Error | null, a: LookupAddress[]) => void,
    ) =>
      cb(
        null,
        answer.map((address) => ({ address, family: 4 })),
      )) as never);
    const lookup = (all: boolean) =>
      new Promise<{ error: Error | null; address: unknown }>((resolve) =>
        p.socketLookup('rebind.test', { all }, (error, address) => resolve({ error, address })),
      );
    await expect(lookup(false)).resolves.toEqual({ error: null, address: '93.184.216.34' });
    answer = ['169.254.169.254']; // the name now points at the metadata service
    const refused = await lookup(true);
    expect(refused.error?.message).toMatch(/169\.254\.169\.254/);
  });
});
