/** The extraction queue: names and payload, defined once. */
export const EXTRACTION_QUEUE = 'extraction';
export const EXTRACT_FILE_JOB = 'extract-file';

/** Ids only: the database holds everything else. */
export interface ExtractFilePayload {
  jobId: string;
  /** The attempt the message is for; a claim applies only while the row still has it. */
  attempt: number;
}

/** One message per job and attempt: a repeat is ignored, a retry is never swallowed. */
export function bullJobId(payload: ExtractFilePayload): string {
  return `${payload.jobId}:${payload.attempt}`;
}
