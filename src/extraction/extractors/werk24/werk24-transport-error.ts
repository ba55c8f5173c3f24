/** Failures of the Werk24 transport, classified so the provider can pick an ExtractionError code. */
export type Werk24FailureKind =
  | 'http' // the server answered with an HTTP status (see `status`)
  | 'network' // connection refused, reset, DNS
  | 'timeout'
  | 'aborted'
  | 'unauthorized' // Werk24's "Forbidden" message on the socket
  | 'protocol'; // an answer we cannot read

export class Werk24TransportError extends Error {
  constructor(
    readonly kind: Werk24FailureKind,
    message: string,
    readonly status?: number,
    /** Set for failures of the presigned upload, whose 403 means an expired policy, not a bad key. */
    readonly phase?: 'upload',
  ) {
    super(message);
    this.name = 'Werk24TransportError';
  }
}
