/**
 * Turns requests into jobs: uploads (single and bulk) checked against extension and signature,
 * and JSON requests naming an object already in our storage. Refused requests leave nothing
 * behind: stored uploads are removed again.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { AuthUser } from '../../auth/auth-user';
import { ExtractionFormat } from '../../extraction/entities/job-enums';
import { ExtractionJob } from '../../extraction/entities/extraction-job.entity';
import { ExtractionJobService } from '../../extraction/jobs/extraction-job.service';
import { STORAGE_DRIVER, StorageDriver, StorageKeyOutsideError } from '../../storage';
import { ownerStoragePrefix, sanitizeFilename } from '../../storage/object-key';
import {
  FormatMismatchError,
  UnsupportedFileTypeError,
  ValidationFailedError,
} from '../http/api-errors';
import { CreateJobFromStorageDto } from '../dto/create-job-from-storage.dto';
import { CreateBulkUploadDto, CreateJobUploadDto } from '../dto/create-job-upload.dto';
import { validateDto } from '../http/validation';
import {
  ALLOWED_EXTENSIONS,
  extensionOf,
  extensionsFor,
  formatFromFilename,
  signatureProblem,
} from '../uploads/file-types';
import { StoredUpload } from '../uploads/storage-upload.engine';
import { UploadService } from '../uploads/upload.service';
import { optionsFromFields, optionsFromJson } from './format-options';
import { WebhooksService } from '../../events/webhooks.service';

@Injectable()
export class JobIntakeService {
  constructor(
    private readonly uploads: UploadService,
    private readonly jobs: ExtractionJobService,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly webhooks: WebhooksService,
  ) {}

  /**
   * Creates a job whose id is chosen beforehand with its callback registered first (when a
   * `callback_url` came), so none of the job's events can be relayed without it.
   */
  private async withCallback<T extends { created: boolean }>(
    jobId: string,
    ownerId: string,
    callbackUrl: string | undefined,
    create: () => Promise<T>,
  ): Promise<T> {
    if (!callbackUrl) return create();
    await this.webhooks.registerCallback(jobId, ownerId, callbackUrl);
    try {
      const outcome = await create();
      if (!outcome.created) await this.webhooks.dropCallback(jobId);
      return outcome;
    } catch (error) {
      await this.webhooks.dropCallback(jobId);
      throw error;
    }
  }

  async createFromUpload(
    req: Request,
    res: Response,
    user: AuthUser,
    idempotencyKey: string | null,
  ): Promise<{ job: ExtractionJob; created: boolean }> {
    await this.refuseOverQuota(req, user, idempotencyKey);
    const { files, fields } = await this.uploads.receiveToStorage(req, res, {
      ownerId: user.id,
      field: 'file',
    });
    try {
      const file = files[0];
      if (!file)
        throw new ValidationFailedError('The multipart field "file" is required', {
          field: 'file',
        });
      if (file.refused) throw new UnsupportedFileTypeError(file.filename, ALLOWED_EXTENSIONS);
      const dto = await validateDto(CreateJobUploadDto, fields);
      const format = dto.format ?? formatFromFilename(file.filename)!;
      this.checkFile(format, file.filename, file.head);
      const options = {
        ...optionsFromFields(format, fields),
        ...optionsFromJson(format, dto.options),
      };
      // Bytes this owner already stored: the job shares that object (chosen by the insert, see
      // ExtractionJobRepository) and the new copy goes.
      const outcome = await this.withCallback(file.jobId, user.id, dto.callback_url, () =>
        this.jobs.create({
          id: file.jobId,
          ownerId: user.id,
          format,
          filename: file.filename,
          fileUrl: file.fileUrl,
          shareStoredContent: true,
          fileSize: file.size,
          contentSha256: file.sha256,
          targetTableId: dto.target_table_id ?? null,
          idempotencyKey,
          options,
          enforceLimits: true,
        }),
      );
      if (!outcome.created || outcome.job.fileUrl !== file.fileUrl)
        await this.uploads.discard(files);
      return outcome;
    } catch (error) {
      await this.uploads.discard(files);
      throw error;
    }
  }

  /** A job for an object already in our storage; anything else is refused. */
  async createFromStoredObject(
    body: unknown,
    user: AuthUser,
    idempotencyKey: string | null,
  ): Promise<{ job: ExtractionJob; created: boolean }> {
    const dto = await validateDto(CreateJobFromStorageDto, body, { strict: true });
    const key = this.storage.keyFromUrl(dto.file_url);
    if (!user.isSuperuser && !key.startsWith(ownerStoragePrefix(user.id))) {
      throw new StorageKeyOutsideError(dto.file_url);
    }
    const stat = await this.storage.stat(key);
    const filename = sanitizeFilename(dto.filename ?? key.split('/').pop() ?? 'file');
    const format = dto.format ?? formatFromFilename(filename);
    if (!format) throw new UnsupportedFileTypeError(filename, ALLOWED_EXTENSIONS);
    this.checkFile(format, filename, await this.head(key));
    const id = randomUUID();
    return this.withCallback(id, user.id, dto.callback_url, () =>
      this.jobs.create({
        id,
        ownerId: user.id,
        format,
        filename,
        fileUrl: this.storage.urlFor(key),
        fileSize: stat.size,
        targetTableId: dto.target_table_id ?? null,
        recordId: dto.record_id ?? null,
        fieldId: dto.field_id ?? null,
        attachmentId: dto.attachment_id ?? null,
        idempotencyKey,
        options: optionsFromJson(format, dto.options),
        enforceLimits: true,
      }),
    );
  }

  /**
   * A bulk from multipart `files`. A file we cannot read becomes a failed entry when
   * `continue_on_error` (default true); otherwise the whole request is refused and nothing kept.
   */
  async createBulk(req: Request, res: Response, user: AuthUser, idempotencyKey: string | null) {
    await this.refuseOverQuota(req, user, idempotencyKey);
    const { files, fields } = await this.uploads.receiveToStorage(req, res, {
      ownerId: user.id,
      field: 'files',
    });
    try {
      if (files.length === 0)
        throw new ValidationFailedError('The multipart field "files" needs at least one file', {
          field: 'files',
        });
      const dto = await validateDto(CreateBulkUploadDto, fields);
      const override = dto.format_override ?? null;
      const autoDetect = dto.auto_detect_format ?? true;
      const continueOnError = dto.continue_on_error ?? true;
      if (!override && !autoDetect) {
        throw new ValidationFailedError(
          'Set "format_override" when "auto_detect_format" is false',
          { field: 'format_override' },
        );
      }
      const entries = files.map((file) => this.bulkEntry(file, override, fields));
      const refused = entries.filter((e) => e.initialError);
      if (refused.length > 0 && !continueOnError) {
        throw new ValidationFailedError(
          `${refused.length} file(s) cannot be extracted: ${refused.map((e) => `${e.filename} (${e.initialError!.message})`).join('; ')}`,
          {
            files: refused.map((e) => ({
              filename: e.filename,
              code: e.initialError!.code,
              message: e.initialError!.message,
            })),
            allowed_extensions: ALLOWED_EXTENSIONS,
          },
        );
      }
      // Refused files are not kept in storage: their entries only record why.
      await this.uploads.discard(files.filter((_, i) => entries[i].initialError));
      const bulkId = randomUUID();
      this.shareIdenticalUploads(files, entries);
      const outcome = await this.withCallback(bulkId, user.id, dto.callback_url, () =>
        this.jobs.createBulk({
          id: bulkId,
          ownerId: user.id,
          format: override,
          targetTableId: dto.target_table_id ?? null,
          idempotencyKey,
          options: {},
          files: entries,
          enforceLimits: true,
        }),
      );
      // Uploads no created file names (identical to an earlier one of the bulk or of the owner).
      const named = new Set(outcome.children.map((c) => c.fileUrl));
      await this.uploads.discard(
        outcome.created
          ? files.filter((f, i) => !entries[i].initialError && !named.has(f.fileUrl))
          : files,
      );
      return outcome;
    } catch (error) {
      await this.uploads.discard(files);
      throw error;
    }
  }

  /**
   * Points the entries of identical files of this bulk at the first one's upload, and lets each
   * share an object the owner stored earlier (the insert chooses it: ExtractionJobRepository).
   */
  private shareIdenticalUploads(
    files: StoredUpload[],
    entries: Array<{
      fileUrl: string | null;
      initialError?: unknown;
      shareStoredContent?: boolean;
    }>,
  ): void {
    const first = new Map<string, string>();
    files.forEach((file, i) => {
      const entry = entries[i];
      if (!file.sha256 || !entry.fileUrl || entry.initialError) return;
      entry.shareStoredContent = true;
      const shared = first.get(file.sha256);
      if (shared) entry.fileUrl = shared;
      else first.set(file.sha256, entry.fileUrl);
    });
  }

  private bulkEntry(
    file: StoredUpload,
    override: ExtractionFormat | null,
    fields: Record<string, string>,
  ) {
    const base = {
      id: file.jobId,
      filename: file.filename,
      fileSize: file.size,
      contentSha256: file.sha256,
    };
    const refuse = (code: string, message: string) => ({
      ...base,
      format: override ?? formatFromFilename(file.filename),
      fileUrl: null,
      initialError: { code, message },
    });
    if (file.refused)
      return refuse(
        'UNSUPPORTED_FORMAT',
        `Unsupported file type "${extensionOf(file.filename) || file.filename}"; allowed: ${ALLOWED_EXTENSIONS.join(', ')}`,
      );
    const format = override ?? formatFromFilename(file.filename)!;
    try {
      this.checkFile(format, file.filename, file.head);
    } catch (error) {
      return refuse((error as FormatMismatchError).code, (error as Error).message);
    }
    return {
      ...base,
      format,
      fileUrl: file.fileUrl,
      options: optionsFromFields(format, fields),
      initialError: null,
    };
  }

  /**
   * An owner already at the quota is refused before the upload is read (the service checks the
   * exact number of files again before it creates anything). A request with an Idempotency-Key
   * goes on: its repeat answers the job it created.
   */
  private async refuseOverQuota(
    req: Request,
    user: AuthUser,
    idempotencyKey: string | null,
  ): Promise<void> {
    if (idempotencyKey) return;
    try {
      await this.jobs.assertQuota(user.id, 1);
    } catch (error) {
      req.resume(); // drain the body unread; the client gets the answer
      throw error;
    }
  }

  /** Extension fits the format, and the first bytes fit the extension. */
  checkFile(format: ExtractionFormat, filename: string, head: Buffer): void {
    const extension = extensionOf(filename);
    const allowed = extensionsFor(format);
    if (!allowed.includes(extension)) {
      throw new FormatMismatchError(
        `A ${format} file must end in ${allowed.join(', ')}; got "${filename}"`,
        { format, filename, allowed_extensions: allowed },
      );
    }
    const problem = signatureProblem(extension, head);
    if (problem)
      throw new FormatMismatchError(
        `"${filename}" does not look like a ${format} file: ${problem}`,
        { format, filename },
      );
  }

  private async head(key: string): Promise<Buffer> {
    const stream: Readable = await this.storage.get(key);
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= 1024) break;
    }
    stream.destroy();
    return Buffer.concat(chunks).subarray(0, 1024);
  }
}
