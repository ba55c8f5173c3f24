/**
 * Base of every domain error: a stable machine-readable `code`, a human `message` and optional
 * details. No HTTP here; one exception filter maps codes to statuses at the API edge.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
