/**
 * One behavioural suite for both storage drivers, against real backends: a temporary folder, and a
 * real S3-compatible server (s3rver on loopback). No mocks.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  DEFAULT_QUEUE_SIZE,
  FileTooLargeError,
  InvalidStorageKeyError,
  LocalStorageDriver,
  S3StorageDriver,
  STORAGE_DRIVER,
  StorageKeyOutsideError,
  StorageModule,
  StorageObjectNotFoundError,
  StorageUnavailableError,
  buildObjectKey,
  type StorageDriver,
  type StorageOptions,
} from '../../src/storage';
import { startS3Server, type S3TestServer } from '../support/s3-server';

const MiB = 1024 * 1024;
const OWNER = 'owner-1';

interface DriverFixture {
  driver: StorageDriver;
  /** Every stored object's key, read from the backend itself (not through the driver). */
  storedKeys(): Promise<string[]>;
  /** Half-written things: local temp files, S3 multipart uploads never completed or aborted. */
  leftovers(): Promise<string[]>;
  /** Asserts that `key` sits inside the storage root (local: its real path; S3: in the bucket). */
  expectStoredInside(key: string): Promise<void>;
  /**
   * Bytes the backend has received so far: local, the size of uploads in progress in `.tmp`;
   * S3, the Content-Length of every PUT that reached the server.
   */
  receivedBytes(): Promise<number>;
  /** The S3 test server, for the s3 fixture. */
  server?: S3TestServer;
  close(): Promise<void>;
}

async function localFixture(): Promise<DriverFixture> {
  const root = await mkdtemp(join(tmpdir(), 'storage-local-'));
  const driver = new LocalStorageDriver({ root: join(root, 'data') });
  await driver.init();
  const files = async (dir: string): Promise<string[]> =>
    (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
  return {
    driver,
    storedKeys: async () => (await files(driver.root)).filter((key) => !key.startsWith('.tmp/')),
    leftovers: () => files(join(driver.root, '.tmp')),
    receivedBytes: async () => {
      const tmp = join(driver.root, '.tmp');
      let total = 0;
      for (const name of await readdir(tmp)) total += (await stat(join(tmp, name))).size;
      return total;
    },
    expectStoredInside: async (key) => {
      const real = await realpath(join(driver.root, ...key.split('/')));
      expect(real.startsWith(`${await realpath(driver.root)}${sep}`)).toBe(true);
      expect((await stat(real)).isFile()).toBe(true);
    },
    close: async () => {
      await driver.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

function s3Options(server: S3TestServer, bucket = server.bucket, createBucket = false) {
  return {
    bucket,
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: server.forcePathStyle,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    createBucket,
  };
}

async function s3Fixture(): Promise<DriverFixture> {
  const server = await startS3Server();
  const driver = new S3StorageDriver(s3Options(server));
  await driver.init();
  // An independent client: the suite checks the bucket's content without trusting the driver.
  const client = new S3Client({
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
  const storedKeys = async (): Promise<string[]> => {
    const page = await client.send(new ListObjectsV2Command({ Bucket: server.bucket }));
    return (page.Contents ?? []).map((object) => object.Key ?? '');
  };
  return {
    server,
    driver,
    storedKeys,
    leftovers: () => server.pendingMultipartUploads(),
    receivedBytes: () =>
      Promise.resolve(
        server.requests
          .filter((request) => request.method === 'PUT')
          .reduce((sum, request) => sum + (request.contentLength ?? 0), 0),
      ),
    expectStoredInside: async (key) => {
      expect(await storedKeys()).toContain(key);
    },
    close: async () => {
      client.destroy();
      await driver.close();
      await server.close();
    },
  };
}

/** An async generator of `total` fresh random bytes that hashes what it produced. */
function generatedBytes(total: number, onMebibyte?: (produced: number) => Promise<void>) {
  const hash = createHash('sha256');
  const state = { produced: 0, sha256: '' };
  async function* generate(): AsyncGenerator<Buffer> {
    const chunkSize = 64 * 1024;
    while (state.produced < total) {
      const chunk = randomBytes(Math.min(chunkSize, total - state.produced));
      hash.update(chunk);
      state.produced += chunk.length;
      if (onMebibyte && state.produced % MiB === 0) await onMebibyte(state.produced);
      yield chunk;
    }
    state.sha256 = hash.digest('hex');
  }
  return { stream: generate(), state };
}

async function sha256Of(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

let jobCounter = 0;
const newJobId = (): string => `job-${++jobCounter}-${randomBytes(4).toString('hex')}`;

describe.each([
  ['local', localFixture],
  ['s3', s3Fixture],
] as const)('StorageDriver (%s)', (kind, makeFixture) => {
  let fixture: DriverFixture;
  let driver: StorageDriver;

  beforeAll(async () => {
    fixture = await makeFixture();
    driver = fixture.driver;
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('stores a stream and returns the exact bytes, size and sha256', async () => {
    const data = randomBytes(300 * 1024 + 7);
    const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'drawing.pdf' });

    const result = await driver.put(
      key,
      Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
      {
        contentType: 'application/pdf',
      },
    );

    expect(result).toEqual({ key, size: data.length, sha256: sha256(data) });
    expect(await sha256Of(await driver.get(key))).toEqual({
      sha256: sha256(data),
      size: data.length,
    });
    expect((await driver.getBuffer(key)).equals(data)).toBe(true);
    expect((await driver.stat(key)).size).toBe(data.length);
    expect(await driver.exists(key)).toBe(true);
  });

  it('stores a small buffer with putBuffer', async () => {
    const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'result.json' });
    const json = JSON.stringify({ ok: true, text: 'Maß' });

    const result = await driver.putBuffer(key, json, { contentType: 'application/json' });

    expect(result).toEqual({
      key,
      size: Buffer.byteLength(json),
      sha256: sha256(Buffer.from(json)),
    });
    expect((await driver.getBuffer(key)).toString('utf8')).toBe(json);
  });

  it('stores an empty stream as an empty object', async () => {
    const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'empty.bin' });

    const result = await driver.put(key, Readable.from([]));

    expect(result).toEqual({ key, size: 0, sha256: sha256(Buffer.alloc(0)) });
    expect((await driver.getBuffer(key)).length).toBe(0);
  });

  it('replaces an object written twice under the same key', async () => {
    const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'twice.txt' });
    await driver.putBuffer(key, 'first version');

    await driver.putBuffer(key, 'second');

    expect((await driver.getBuffer(key)).toString()).toBe('second');
  });

  it('streams 20 MB from a generator without holding it in memory', async () => {
    const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'big.step' });
    const receivedBefore = await fixture.receivedBytes();
    const requestsBefore = fixture.server?.requests.length ?? 0;
    // Whenever the driver pulls another MiB from the generator: how much has it taken without
    // handing it on yet? A driver that collected the stream first would reach 20 MiB.
    let maxHeldBack = 0;
    const source = generatedBytes(20 * MiB, async (produced) => {
      const handedOn = (await fixture.receivedBytes()) - receivedBefore;
      maxHeldBack = Math.max(maxHeldBack, produced - handedOn);
    });

    const result = await driver.put(key, source.stream);

    expect(result).toEqual({ key, size: 20 * MiB, sha256: source.state.sha256 });
    expect(await sha256Of(await driver.get(key))).toEqual({
      sha256: source.state.sha256,
      size: 20 * MiB,
    });
    // Local: stream buffers only (measured: 64 KiB). S3: parts waiting to be sent plus the one
    // being filled, (queueSize + 1) × 5 MiB with the default queue size 2 (measured: 10 MiB).
    const bound = kind === 'local' ? 2 * MiB : (DEFAULT_QUEUE_SIZE + 1) * 5 * MiB + MiB;
    expect(maxHeldBack).toBeLessThan(bound);

    if (fixture.server) {
      const parts = fixture.server.requests
        .slice(requestsBefore)
        .filter((r) => r.method === 'PUT' && r.query.partNumber !== undefined);
      expect(parts.length).toBeGreaterThanOrEqual(4);
      const sizes = parts
        .sort((a, b) => Number(a.query.partNumber) - Number(b.query.partNumber))
        .map((r) => r.contentLength ?? 0);
      for (const size of sizes.slice(0, -1)) expect(size).toBeGreaterThanOrEqual(5 * MiB);
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(20 * MiB);
    }
  });

  it.each([
    // Below S3's part size: one PutObject would have been sent.
    ['a small upload', 4 * MiB, 100 * 1024],
    // Above it: a multipart upload has started and must be aborted.
    ['a multipart upload', 12 * MiB, 6 * MiB],
  ])(
    'refuses %s over maxBytes with FILE_TOO_LARGE and leaves nothing behind',
    async (_label, total, maxBytes) => {
      const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'huge.pdf' });
      const before = await fixture.storedKeys();
      const source = generatedBytes(total);

      const attempt = driver.put(key, source.stream, { maxBytes });

      await expect(attempt).rejects.toBeInstanceOf(FileTooLargeError);
      await expect(attempt).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', maxBytes });
      expect(source.state.produced).toBeLessThan(total); // stopped reading early
      expect(await driver.exists(key)).toBe(false);
      expect(await fixture.storedKeys()).toEqual(before);
      expect(await fixture.leftovers()).toEqual([]);
    },
  );

  it('accepts a stream of exactly maxBytes', async () => {
    const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'exact.bin' });

    const result = await driver.put(key, Readable.from([Buffer.alloc(1000, 1)]), {
      maxBytes: 1000,
    });

    expect(result.size).toBe(1000);
  });

  it('does not replace an existing object when an oversized rewrite fails', async () => {
    const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'keep.txt' });
    await driver.putBuffer(key, 'original');

    await expect(
      driver.put(key, Readable.from([Buffer.alloc(100)]), { maxBytes: 10 }),
    ).rejects.toThrow(FileTooLargeError);

    expect((await driver.getBuffer(key)).toString()).toBe('original');
  });

  it('passes on a source stream error and leaves nothing behind', async () => {
    const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'broken.pdf' });
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(6 * MiB, 1);
      await setImmediate();
      throw new Error('client went away');
    }

    await expect(driver.put(key, failing())).rejects.toThrow('client went away');

    expect(await driver.exists(key)).toBe(false);
    expect(await fixture.leftovers()).toEqual([]);
  });

  it('deletes idempotently', async () => {
    const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'gone.txt' });
    await driver.putBuffer(key, 'bye');

    await driver.delete(key);
    await driver.delete(key);
    await driver.delete(`${OWNER}/never-stored/x.txt`);

    expect(await driver.exists(key)).toBe(false);
    await expect(driver.get(key)).rejects.toBeInstanceOf(StorageObjectNotFoundError);
  });

  it('deletes everything under a prefix and nothing beside it', async () => {
    const jobA = `prefix-job-${randomBytes(3).toString('hex')}`;
    const jobB = `${jobA}0`; // shares the string prefix, not the folder
    await driver.putBuffer(`${OWNER}/${jobA}/one.pdf`, '1');
    await driver.putBuffer(`${OWNER}/${jobA}/nested/two.json`, '2');
    await driver.putBuffer(`${OWNER}/${jobB}/three.pdf`, '3');

    expect(await driver.deletePrefix(`${OWNER}/${jobA}`)).toBe(2);
    expect(await driver.deletePrefix(`${OWNER}/${jobA}`)).toBe(0);

    expect(await driver.exists(`${OWNER}/${jobA}/one.pdf`)).toBe(false);
    expect(await driver.exists(`${OWNER}/${jobA}/nested/two.json`)).toBe(false);
    expect(await driver.exists(`${OWNER}/${jobB}/three.pdf`)).toBe(true);
  });

  it('reports a missing object as STORAGE_NOT_FOUND', async () => {
    const key = `${OWNER}/missing/none.pdf`;

    await expect(driver.get(key)).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND' });
    await expect(driver.stat(key)).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND' });
    await expect(driver.withLocalFile(key, (path) => readFile(path))).rejects.toMatchObject({
      code: 'STORAGE_NOT_FOUND',
    });
    expect(await driver.exists(key)).toBe(false);
  });

  it('maps keys to URLs and back', () => {
    const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'a.dxf' });
    const url = driver.urlFor(key);

    expect(url).toBe(
      kind === 'local' ? `local://${key}` : `s3://${(driver as S3StorageDriver).bucket}/${key}`,
    );
    expect(driver.keyFromUrl(url)).toBe(key);
  });

  it('refuses URLs outside its storage with STORAGE_OUTSIDE', () => {
    const own = driver.urlFor(`${OWNER}/j/a.pdf`);
    const prefix = own.slice(0, own.length - `${OWNER}/j/a.pdf`.length);
    const foreign = [
      'file:///etc/passwd',
      'http://169.254.169.254/latest/meta-data/',
      '/etc/passwd',
      '',
      kind === 'local' ? 's3://bucket/owner-1/j/a.pdf' : 'local://owner-1/j/a.pdf',
      kind === 'local' ? 'local:/owner-1/j/a.pdf' : 's3://another-bucket/owner-1/j/a.pdf',
      `${prefix}../../etc/passwd`,
      `${prefix}${OWNER}/../../etc/passwd`,
      `${prefix}/etc/passwd`,
      `${prefix}${OWNER}\\..\\..\\x`,
      `${prefix}${OWNER}/a\u0000.pdf`,
      `${prefix}${OWNER}/%2e%2e/%2e%2e/etc/passwd`,
    ];

    for (const url of foreign) {
      const error = thrownBy(() => driver.keyFromUrl(url));
      expect(error).toBeInstanceOf(StorageKeyOutsideError);
      expect(error).toMatchObject({ code: 'STORAGE_OUTSIDE' });
    }
  });

  it('gives workers a readable local file and removes temporary copies afterwards', async () => {
    const data = randomBytes(2 * MiB + 3);
    const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'part.step' });
    await driver.put(key, Readable.from([data]));
    let seenPath = '';

    const size = await driver.withLocalFile(key, async (path) => {
      seenPath = path;
      expect(path.endsWith('part.step')).toBe(true); // extractors see the extension
      return (await readFile(path)).length;
    });

    expect(size).toBe(data.length);
    if (kind === 'local') {
      // The stored file itself: nothing was copied, nothing must be removed.
      expect(seenPath).toBe(join((driver as LocalStorageDriver).root, ...key.split('/')));
      expect(existsSync(seenPath)).toBe(true);
    } else {
      expect(existsSync(seenPath)).toBe(false);
      expect(existsSync(dirname(seenPath))).toBe(false);
    }
  });

  it('removes the temporary copy when the worker function throws', async () => {
    const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'bad.ifc' });
    await driver.putBuffer(key, 'ISO-10303-21;');
    let seenPath = '';

    await expect(
      driver.withLocalFile(key, (path) => {
        seenPath = path;
        return Promise.reject(new Error('extractor failed'));
      }),
    ).rejects.toThrow('extractor failed');

    expect(seenPath).not.toBe('');
    expect(existsSync(seenPath)).toBe(kind === 'local');
    expect(await driver.exists(key)).toBe(true);
  });

  it('copies an object to a local file', async () => {
    const data = randomBytes(100_000);
    const key = buildObjectKey({ ownerId: OWNER, jobId: newJobId(), filename: 'copy.pdf' });
    await driver.put(key, Readable.from([data]));
    const dir = await mkdtemp(join(tmpdir(), 'storage-copy-'));
    try {
      await driver.copyToLocalFile(key, join(dir, 'out.pdf'));

      expect((await readFile(join(dir, 'out.pdf'))).equals(data)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stores hostile file names safely inside its root', async () => {
    const hostile = [
      '../../etc/passwd',
      '..\\..\\..\\windows\\win.ini',
      '/etc/shadow',
      '....//....//x.pdf',
      '.htaccess',
      '..',
      '',
      'a\u0000b.pdf',
      'Übersicht ドラフト 😀.pdf',
      '$(reboot);`id`|x.ifc',
    ];
    // s3rver keeps `<name>._S3rver_metadata.json` on its own disk, so it cannot hold a
    // 255-character name (S3 and MinIO can): the longest name runs on the local driver only.
    if (kind === 'local') hostile.push(`${'long'.repeat(200)}.dxf`);
    const jobId = newJobId();

    for (const filename of hostile) {
      const key = buildObjectKey({ ownerId: OWNER, jobId, filename });
      expect(key.startsWith(`uploads/${OWNER}/${jobId}/`)).toBe(true);
      await driver.putBuffer(key, filename);
      await fixture.expectStoredInside(key);
      expect((await driver.getBuffer(key)).toString()).toBe(filename);
    }
  });

  it('refuses hostile keys before touching the backend', async () => {
    const before = await fixture.storedKeys();
    const hostileKeys = [
      '../escape.txt',
      `${OWNER}/../../escape.txt`,
      '/tmp/escape.txt',
      `${OWNER}\\..\\escape.txt`,
      `${OWNER}/nul\u0000.txt`,
      `${OWNER}/.tmp/x`,
      '',
    ];

    for (const key of hostileKeys) {
      await expect(driver.put(key, Readable.from([Buffer.from('x')]))).rejects.toBeInstanceOf(
        InvalidStorageKeyError,
      );
      await expect(driver.putBuffer(key, 'x')).rejects.toMatchObject({
        code: 'STORAGE_INVALID_KEY',
      });
      await expect(driver.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(driver.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    }
    expect(await fixture.storedKeys()).toEqual(before);
    expect(existsSync(join(tmpdir(), 'escape.txt'))).toBe(false);
  });

  it('passes its health check', async () => {
    await expect(driver.healthCheck()).resolves.toBeUndefined();
  });
});

describe(LocalStorageDriver.name, () => {
  it('creates its folder at init and fails the health check once the folder is gone', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'storage-health-'));
    const driver = new LocalStorageDriver({ root: join(parent, 'nested', 'storage') });
    try {
      await driver.init();
      await expect(driver.healthCheck()).resolves.toBeUndefined();

      await rm(join(parent, 'nested'), { recursive: true });

      await expect(driver.healthCheck()).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});

describe(S3StorageDriver.name, () => {
  let server: S3TestServer;

  beforeAll(async () => {
    server = await startS3Server();
  });

  afterAll(async () => {
    await server?.close();
  });

  it('creates a missing bucket at init when configured to (S3_CREATE_BUCKET)', async () => {
    const driver = new S3StorageDriver(s3Options(server, 'created-at-start', true));
    try {
      await driver.init();
      await driver.init(); // a second instance starting later finds it

      await expect(driver.healthCheck()).resolves.toBeUndefined();
      await driver.putBuffer('a/b.txt', 'hello');
      expect((await driver.getBuffer('a/b.txt')).toString()).toBe('hello');
    } finally {
      await driver.close();
    }
  });

  it('fails the health check for a missing bucket with STORAGE_UNAVAILABLE', async () => {
    const driver = new S3StorageDriver(s3Options(server, 'no-such-bucket'));
    try {
      await driver.init(); // createBucket false: no network at init

      await expect(driver.healthCheck()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    } finally {
      await driver.close();
    }
  });

  it('refuses half a credential pair', () => {
    expect(
      thrownBy(() => new S3StorageDriver({ ...s3Options(server), secretAccessKey: undefined })),
    ).toMatchObject({ code: 'STORAGE_CONFIG_INVALID' });
  });
});

describe(StorageModule.name, () => {
  let server: S3TestServer;
  let localRoot: string;

  beforeAll(async () => {
    server = await startS3Server();
    localRoot = await mkdtemp(join(tmpdir(), 'storage-module-'));
  });

  afterAll(async () => {
    await server?.close();
    await rm(localRoot, { recursive: true, force: true });
  });

  it('provides an initialised local driver through register()', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [StorageModule.register({ driver: 'local', localRoot: join(localRoot, 'store') })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const storage = app.get<StorageDriver>(STORAGE_DRIVER);

      expect(storage).toBeInstanceOf(LocalStorageDriver);
      expect(existsSync(join(localRoot, 'store'))).toBe(true);
      await storage.putBuffer('u/j/x.txt', 'x');
      expect(existsSync(join(localRoot, 'store', 'u', 'j', 'x.txt'))).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('builds the driver from injected configuration through forRootAsync()', async () => {
    @Injectable()
    class FakeConfig {
      storage(): StorageOptions {
        return { driver: 's3', s3: s3Options(server, 'module-bucket', true) };
      }
    }
    @Module({ providers: [FakeConfig], exports: [FakeConfig] })
    class FakeConfigModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        StorageModule.forRootAsync({
          imports: [FakeConfigModule],
          inject: [FakeConfig],
          useFactory: (config: FakeConfig) => config.storage(),
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const storage = app.get<StorageDriver>(STORAGE_DRIVER);

      expect(storage).toBeInstanceOf(S3StorageDriver);
      await expect(storage.healthCheck()).resolves.toBeUndefined(); // bucket created at start-up
    } finally {
      await app.close();
    }
  });

  it('fails the start-up when the configuration cannot work', async () => {
    const compiling = Test.createTestingModule({
      imports: [StorageModule.register({ driver: 's3' })],
    }).compile();

    await expect(compiling).rejects.toMatchObject({ code: 'STORAGE_CONFIG_INVALID' });
  });
});
