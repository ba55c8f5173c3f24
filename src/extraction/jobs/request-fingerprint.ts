/**
 * What an idempotent create asked for, as a digest stored beside its Idempotency-Key: a repeat
 * with the same key must be the same request (route kind, format, the file by content — or by
 * storage URL when its content is unknown —, name, links and options), else it is refused.
 * Storage URLs of fresh uploads differ on every request and are left out when a hash is known.
 */
import { createHash } from 'node:crypto';
import type { CreateBulkInput, CreateJobInput } from './job.types';

/** Largest `options` object a job keeps (serialised JSON), so list rows stay small. */
export const MAX_OPTIONS_BYTES = 64 * 1024;

/** JSON with object keys sorted, so equal requests digest equally whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

function digest(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}

const fileIdentity = (file: {
  filename?: string | null;
  fileSize?: number | null;
  contentSha256?: string | null;
  fileUrl?: string | null;
}) => ({
  name: file.filename ?? null,
  size: file.fileSize ?? null,
  content: file.contentSha256 ?? file.fileUrl ?? null,
});

export function singleJobFingerprint(input: CreateJobInput): string {
  return digest({
    kind: 'single',
    format: input.format,
    file: fileIdentity(input),
    record: input.recordId ?? null,
    field: input.fieldId ?? null,
    attachment: input.attachmentId ?? null,
    target: input.targetTableId ?? null,
    options: input.options ?? {},
  });
}

export function bulkFingerprint(input: CreateBulkInput): string {
  return digest({
    kind: 'bulk',
    format: input.format ?? null,
    target: input.targetTableId ?? null,
    options: input.options ?? {},
    files: input.files.map((file) => ({
      ...fileIdentity(file),
      format: file.format,
      options: file.options ?? {},
    })),
  });
}
