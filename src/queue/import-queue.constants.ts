/** The import queue: names and payload, defined once (large imports run on workers). */
export const IMPORT_QUEUE = 'imports';
export const RUN_IMPORT_JOB = 'run-import';

/** Ids only: the database holds the request. */
export interface RunImportPayload {
  runId: string;
  /** The attempt the message is for; a claim applies only while the row still has it. */
  attempt: number;
}

export function importBullJobId(payload: RunImportPayload): string {
  return `import:${payload.runId}:${payload.attempt}`;
}
