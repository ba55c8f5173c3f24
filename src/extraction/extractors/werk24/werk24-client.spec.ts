/**
 * The real client (WebSocket + presigned upload over node:http and fetch) against a loopback
 * stand-in for Werk24 that replays the recorded answers. Nothing leaves 127.0.0.1.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeMode, FakeWerk24Server } from '../../../../test/fixtures/werk24/fake-werk24-server';
import { ExtractionError } from '../extraction-error';
import { ExtractorOptions } from '../extractor';
import { werk24Extractor } from './werk24.extractor';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('pixels'),
]);
const ENV_NAMES = [
  'WERK24_API_KEY',
  'WERK24_BASE_URL',
  'WERK24_TIMEOUT_MS',
  'WERK24_MAX_PAGES',
] as const;

let server: FakeWerk24Server;
let dir: string;
let drawing: string;
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  for (const name of ENV_NAMES) savedEnv[name] = process.env[name];
  server = new FakeWerk24Server();
  await server.start();
  dir = await mkdtemp(join(tmpdir(), 'werk24-client-'));
  drawing = join(dir, 'part 7.png');
  await writeFile(drawing, PNG);
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
  for (const name of ENV_NAMES) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

function configure(
  mode: FakeMode,
  env: Partial<Record<(typeof ENV_NAMES)[number], string>> = {},
): void {
  server.reset(mode);
  process.env.WERK24_API_KEY = 'test-key';
  process.env.WERK24_BASE_URL = server.wsUrl;
  process.env.WERK24_TIMEOUT_MS = '10000';
  delete process.env.WERK24_MAX_PAGES;
  Object.assign(process.env, env);
}

function run(options: ExtractorOptions = {}, signal = new AbortController().signal) {
  return werk24Extractor.extract({
    filePath: drawing,
    filename: 'part 7.png',
    options,
    onProgress: () => undefined,
    signal,
  });
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<ExtractionError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, got success`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractionError);
  expect((error as ExtractionError).code).toBe(code);
  return error as ExtractionError;
}

describe('Werk24 client over the Techread protocol', () => {
  it('initialises, uploads to the presigned POST, reads and maps the answers', async () => {
    configure('ok', { WERK24_MAX_PAGES: '2' });
    const result = await run({ extract_gdt: false });
    expect(server.seen.authorization).toBe('Token test-key');
    expect(server.seen.commands.map((c) => c.action)).toEqual(['INITIALIZE', 'READ']);
    expect(server.seen.commands[0].message).toEqual({
      asks: [
        { version: 'v1', ask_type: 'VARIANT_MEASURES', is_training: false, confidence_min: 0.2 },
        { version: 'v1', ask_type: 'VARIANT_THREAD_ELEMENTS', is_training: false },
        { version: 'v1', ask_type: 'VARIANT_ROUGHNESSES', is_training: false },
        { version: 'v1', ask_type: 'TITLE_BLOCK', is_training: false },
      ],
      max_pages: 2,
      client_version: 'extraction-service/0.1.0',
      drawing_filename: 'part 7.png',
    });
    expect(server.seen.commands[1].message).toEqual({});
    expect(server.seen.upload?.fields).toEqual({
      key: 'requests/6f1c2a4e-8d3b-4c5a-9e7f-1a2b3c4d5e6f/drawing',
      policy: 'eyJleHBpcmF0aW9uIjoiMjAzMC0wMS0wMVQwMDowMDowMFoifQ==',
      'x-amz-signature': '0123456789abcdef',
    });
    expect(server.seen.upload?.file?.equals(PNG)).toBe(true);
    expect(server.seen.upload?.filename).toBe('part 7.png');
    expect(result.success).toBe(true);
    expect(result.dimensions.map((d) => d.label)).toEqual(['Ø12 H7', '50 ±0.1', '2x M6', '1.000']);
    expect(result.gdt_annotations).toEqual([]);
    expect(result.threads.map((t) => t.label)).toEqual(['M6', '1/4-20 UNC-2A']);
    expect(result.surface_finishes.map((s) => s.label)).toEqual(['Ra 1.6', 'Rz 6.3']);
    expect(result.title_block?.drawing_number).toBe('DWG-4711');
    expect(result.warnings).toEqual([
      '2 item(s) below confidence_threshold 0.7 dropped (dimensions 2)',
    ]);
  });

  it('downloads answers that arrive as a payload_url', async () => {
    configure('payload-url');
    const result = await run();
    expect(result.dimensions).toHaveLength(4);
    expect(result.title_block?.title).toBe('Drive shaft');
  });

  it('accepts an http(s) base URL and talks ws(s) to the same host', async () => {
    configure('ok');
    process.env.WERK24_BASE_URL = server.wsUrl.replace('ws://', 'http://');
    const result = await run({ extract_dimensions: false });
    expect(result.success).toBe(true);
    expect(result.dimensions).toEqual([]);
  });

  it('maps a refused key (HTTP 401 on the upgrade) to a permanent NOT_CONFIGURED', async () => {
    configure('reject-upgrade-401');
    const error = await expectCode(run(), 'NOT_CONFIGURED');
    expect(error.message).toBe('Werk24 rejected the credentials (HTTP 401): check WERK24_API_KEY');
    expect(error.permanent).toBe(true);
  });

  it('maps a "Forbidden" socket message to NOT_CONFIGURED', async () => {
    configure('forbidden-message');
    const error = await expectCode(run(), 'NOT_CONFIGURED');
    expect(error.permanent).toBe(true);
  });

  it('maps HTTP 503 to a retryable PROVIDER_UNAVAILABLE', async () => {
    configure('reject-upgrade-503');
    const error = await expectCode(run(), 'PROVIDER_UNAVAILABLE');
    expect(error.message).toMatch(/HTTP 503/);
    expect(error.permanent).toBe(false);
  });

  it('maps a failed upload (HTTP 500) to a retryable PROVIDER_UNAVAILABLE', async () => {
    configure('upload-500');
    const error = await expectCode(run(), 'PROVIDER_UNAVAILABLE');
    expect(error.message).toMatch(/upload answered HTTP 500/);
    expect(error.permanent).toBe(false);
  });

  it('retries an upload refused with 403 (expired presigned POST), unlike a refused key', async () => {
    configure('upload-403');
    const error = await expectCode(run(), 'PROVIDER_UNAVAILABLE');
    expect(error.message).toBe('Werk24 refused the upload (HTTP 403; presigned POST expired?)');
    expect(error.permanent).toBe(false);
  });

  it('maps a refused connection to a retryable PROVIDER_UNAVAILABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    configure('ok', { WERK24_BASE_URL: `ws://127.0.0.1:${port}/techread` });
    const error = await expectCode(run(), 'PROVIDER_UNAVAILABLE');
    expect(error.message).toMatch(/Cannot reach Werk24/);
    expect(error.permanent).toBe(false);
  });

  it('gives up after WERK24_TIMEOUT_MS with a retryable PROVIDER_UNAVAILABLE', async () => {
    configure('hang-after-read', { WERK24_TIMEOUT_MS: '300' });
    const error = await expectCode(run(), 'PROVIDER_UNAVAILABLE');
    expect(error.message).toBe('Werk24 did not answer within 0.3 s');
    expect(error.permanent).toBe(false);
  });

  it('stops with ABORTED when the job is cancelled mid-read', async () => {
    configure('hang-after-read');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const error = await expectCode(run({}, controller.signal), 'ABORTED');
    expect(error.permanent).toBe(false);
  });
});
