/**
 * SSRF guard of webhook targets: the URL must be https (http only when WEBHOOK_ALLOW_HTTP), and
 * every address its host resolves to must be public: not loopback, private, link-local, CGNAT,
 * multicast, unspecified, reserved, or a cloud metadata address — unless listed in
 * WEBHOOK_ALLOWED_ADDRESSES. The delivery connects to the address that was checked (the check is
 * the socket's DNS lookup), so a name that resolves differently later (DNS rebinding) gains nothing.
 */
import { LookupAddress, lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { DomainError } from '../common/domain-error';

const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, includes the metadata address 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
];
const BLOCKED_V6: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local, includes the metadata address fd00:ec2::254
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96], // NAT64 of any IPv4 address
];

export class WebhookUrlRefusedError extends DomainError {
  constructor(message: string) {
    super('WEBHOOK_URL_REFUSED', message);
  }
}

export class WebhookAddressPolicy {
  private readonly blocked = new BlockList();
  private readonly allowed = new BlockList();

  constructor(
    private readonly opts: { allowHttp: boolean; allowedAddresses: string[] },
    private readonly resolve: typeof dnsLookup = dnsLookup,
  ) {
    for (const [net, bits] of BLOCKED_V4) this.blocked.addSubnet(net, bits, 'ipv4');
    for (const [net, bits] of BLOCKED_V6) this.blocked.addSubnet(net, bits, 'ipv6');
    for (const entry of opts.allowedAddresses) {
      const [address, bits] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (isIP(address) === 0)
        throw new Error(`WEBHOOK_ALLOWED_ADDRESSES: "${entry}" is not an address`);
      if (bits === undefined) this.allowed.addAddress(address, family);
      else this.allowed.addSubnet(address, Number(bits), family);
    }
  }

  /** The URL parsed, or WebhookUrlRefusedError for a scheme, credentials or host we do not call. */
  parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookUrlRefusedError('The webhook URL is not a valid absolute URL');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.opts.allowHttp))
      throw new WebhookUrlRefusedError(
        `The webhook URL must use https${this.opts.allowHttp ? ' or http' : ''}`,
      );
    if (url.username || url.password)
      throw new WebhookUrlRefusedError('The webhook URL must not carry credentials');
    return url;
  }

  /** Why the address may not be called, or null when it may. */
  refusal(address: string): string | null {
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (this.allowed.check(address, family)) return null;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return this.refusal(mapped[1]);
    if (this.blocked.check(address, family))
      return `${address} is a loopback, private, link-local, multicast, reserved or metadata address`;
    return null;
  }

  /** Resolves the URL's host and checks every address; answers them (the first is connected to). */
  async check(url: URL): Promise<LookupAddress[]> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = await this.lookupAll(host);
    for (const a of addresses) {
      const why = this.refusal(a.address);
      if (why) throw new WebhookUrlRefusedError(`The webhook host ${host} resolves to ${why}`);
    }
    return addresses;
  }

  /**
   * A `lookup` for http(s).request: resolves, refuses blocked addresses, and hands the socket
   * exactly the checked addresses.
   */
  readonly socketLookup = (
    hostname: string,
    options: { all?: boolean } | number,
    callback: (
      err: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ): void => {
    const all = typeof options === 'object' && options.all === true;
    this.lookupAll(hostname).then(
      (addresses) => {
        for (const a of addresses) {
          const why = this.refusal(a.address);
          if (why) return callback(new WebhookUrlRefusedError(`Refused: ${why}`), '', 0);
        }
        if (all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };

  private async lookupAll(host: string): Promise<LookupAddress[]> {
    const family = isIP(host);
    if (family !== 0) return [{ address: host, family }];
    return new Promise((resolve, reject) =>
      this.resolve(host, { all: true, verbatim: true }, (error, addresses) => {
        if (error)
          reject(
            new WebhookUrlRefusedError(
              `The webhook host ${host} does not resolve (${error.code ?? error.message})`,
            ),
          );
        else if (addresses.length === 0)
          reject(new WebhookUrlRefusedError(`The webhook host ${host} has no address`));
        else resolve(addresses);
      }),
    );
  }
}
