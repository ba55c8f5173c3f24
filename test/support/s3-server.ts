/**
 * A real S3-compatible server for tests: s3rver on 127.0.0.1, a random free port, its own temporary
 * directory, one bucket ready. Use it with `forcePathStyle: true` and any region (us-east-1).
 *
 *   const s3 = await startS3Server();
 *   ... { endpoint: s3.endpoint, bucket: s3.bucket, accessKeyId: s3.accessKeyId, ... }
 *   await s3.close(); // stops the server and deletes its directory
 *
 * s3rver 3.7.1 lacks AbortMultipartUpload; the front server here implements it (removes the
 * upload's stored parts), so abort paths behave as on S3. Every request is recorded in `requests`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface S3rverInstance {
  callback(): RequestListener;
  configureBuckets(): Promise<void>;
  logger: { close(): void; exceptions: { unhandle(): void } };
}
type S3rverConstructor = new (options: {
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;
// s3rver ships no type declarations.

const S3rver = require('s3rver') as S3rverConstructor;

export interface S3RecordedRequest {
  method: string;
  /** URL path, e.g. `/bucket/owner/job/file.pdf`. */
  path: string;
  query: Record<string, string>;
  /** The Content-Length header, when sent. */
  contentLength?: number;
}

export interface S3TestServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  bucket: string;
  region: 'us-east-1';
  forcePathStyle: true;
  accessKeyId: 'S3RVER';
  secretAccessKey: 'S3RVER';
  /** s3rver's data directory (removed by `close`). */
  directory: string;
  /** Every request received so far, oldest first. */
  readonly requests: readonly S3RecordedRequest[];
  /** Multipart uploads started and neither completed nor aborted (ids), in `bucket` by default. */
  pendingMultipartUploads(bucket?: string): Promise<string[]>;
  close(): Promise<void>;
}

export interface StartS3ServerOptions {
  /** Default: a random `test-<hex>` name. */
  bucket?: string;
}

const UPLOADS_DIR = '._S3rver_uploads'; // s3rver's FilesystemStore layout
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export async function startS3Server(options: StartS3ServerOptions = {}): Promise<S3TestServer> {
  const bucket = options.bucket ?? `test-${randomBytes(4).toString('hex')}`;
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const s3rver = new S3rver({ silent: true, directory, configureBuckets: [{ name: bucket }] });
  await s3rver.configureBuckets();
  const handle = s3rver.callback();
  const requests: S3RecordedRequest[] = [];

  const uploadsDir = (name: string): string => join(directory, name, UPLOADS_DIR);

  const abortMultipartUpload = async (
    res: ServerResponse,
    bucketName: string,
    uploadId: string,
  ): Promise<void> => {
    const path = join(uploadsDir(bucketName), uploadId);
    const found =
      BUCKET_NAME.test(bucketName) && /^[0-9a-f]{32}$/.test(uploadId) && (await isDir(path));
    if (!found) {
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code>' +
          '<Message>The specified upload does not exist.</Message></Error>',
      );
      return;
    }
    await rm(path, { recursive: true, force: true });
    res.writeHead(204);
    res.end();
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const length = req.headers['content-length'];
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query,
      ...(length === undefined ? {} : { contentLength: Number(length) }),
    });
    const uploadId = query.uploadId;
    if (req.method === 'DELETE' && uploadId !== undefined) {
      const bucketName = decodeURIComponent(url.pathname.split('/')[1] ?? '');
      abortMultipartUpload(res, bucketName, uploadId).catch((err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      });
      return;
    }
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closed = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region: 'us-east-1',
    forcePathStyle: true,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    directory,
    requests,
    async pendingMultipartUploads(name = bucket): Promise<string[]> {
      try {
        return await readdir(uploadsDir(name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      s3rver.logger.exceptions.unhandle();
      s3rver.logger.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
