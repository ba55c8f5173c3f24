import { DomainError } from '../../common/domain-error';

/** The client closed the connection before its file was complete (nobody reads the answer). */
export class UploadAbortedError extends DomainError {
  constructor() {
    super('CLIENT_ABORTED', 'The client closed the connection before the upload was complete');
  }
}
