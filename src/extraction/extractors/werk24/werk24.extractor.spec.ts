import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTransport, recordedRejection } from '../../../../test/fixtures/werk24/recorded';
import { ExtractionError } from '../extraction-error';
import { ExtractorOptions } from '../extractor';
import { TechreadProvider } from './werk24-provider';
import { createWerk24Extractor } from './werk24.extractor';

const V = '0b7e4c1a-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
const S1 = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const S2 = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);

let dir: string;
let drawing: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'werk24-'));
  drawing = join(dir, 'drawing.png');
  await writeFile(drawing, PNG);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setup(transport = new FakeTransport()) {
  const extractor = createWerk24Extractor(
    () => new TechreadProvider(transport, { timeoutMs: 5000, maxPages: 5 }),
  );
  const run = (options: ExtractorOptions = {}, filePath = drawing, filename = 'drawing.png') =>
    extractor.extract({
      filePath,
      filename,
      options,
      onProgress: () => undefined,
      signal: new AbortController().signal,
    });
  return { transport, run };
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

const ids = (sectional: string) => ({ page: 0, variant_id: V, sectional_id: sectional });

describe('werk24Extractor mapping (recorded answers)', () => {
  it('maps every kind of answer with the default flags and threshold 0.7', async () => {
    const { run, transport } = setup();
    const result = await run();
    expect(transport.requests[0].asks).toEqual([
      { version: 'v1', ask_type: 'VARIANT_MEASURES', is_training: false, confidence_min: 0.2 },
      { version: 'v1', ask_type: 'VARIANT_GDTS', is_training: false },
      { version: 'v1', ask_type: 'VARIANT_THREAD_ELEMENTS', is_training: false },
      { version: 'v1', ask_type: 'VARIANT_ROUGHNESSES', is_training: false },
      { version: 'v1', ask_type: 'TITLE_BLOCK', is_training: false },
    ]);
    expect(transport.requests[0].file).toEqual({
      filename: 'drawing.png',
      content: PNG,
      mimeType: 'image/png',
    });
    expect(result.success).toBe(true);
    expect(result.source_type).toBe('werk24');
    expect(result.errors).toEqual([]);
    expect(result.dimensions).toEqual([
      {
        value: 12,
        unit: 'mm',
        tolerance_plus: 0.018,
        tolerance_minus: 0,
        dimension_type: 'diameter',
        label: 'Ø12 H7',
        confidence: 0.95,
        quantity: 1,
        tolerance_type: 'FIT_SIZE_ISO',
        fit: 'H7',
        ...ids(S1),
      },
      {
        value: 50,
        unit: 'mm',
        tolerance_plus: 0.1,
        tolerance_minus: -0.1,
        dimension_type: 'linear',
        label: '50 ±0.1',
        confidence: 0.88,
        quantity: 1,
        tolerance_type: 'OFF_SIZE',
        fit: null,
        ...ids(S1),
      },
      {
        value: 6,
        unit: 'mm',
        tolerance_plus: null,
        tolerance_minus: null,
        dimension_type: 'thread',
        label: '2x M6',
        confidence: 0.75,
        quantity: 2,
        tolerance_type: 'GENERAL_TOLERANCES',
        fit: null,
        ...ids(S1),
      },
      {
        value: 1,
        unit: 'in',
        tolerance_plus: null,
        tolerance_minus: null,
        dimension_type: 'linear',
        label: '1.000',
        confidence: 0.91,
        quantity: 1,
        tolerance_type: 'GENERAL_TOLERANCES',
        fit: null,
        ...ids(S2),
      },
    ]);
    expect(result.gdt_annotations).toEqual([
      {
        characteristic: '⌖',
        characteristic_name: 'position',
        label: '[⌖|⌀0.05Ⓜ|A|B]',
        tolerance_value: 0.05,
        zone_shape: 'Ø',
        material_condition: 'Ⓜ',
        datums: ['A', 'B'],
        confidence: null,
        ...ids(S1),
      },
      {
        characteristic: '⏥',
        characteristic_name: 'flatness',
        label: '[⏥|0.02]',
        tolerance_value: 0.02,
        zone_shape: null,
        material_condition: null,
        datums: [],
        confidence: null,
        ...ids(S1),
      },
    ]);
    expect(result.threads).toEqual([
      {
        label: 'M6',
        thread_type: 'ISO_METRIC',
        diameter: 6,
        pitch: 1,
        threads_per_inch: 25.4,
        unit: 'mm',
        handedness: 'RIGHT',
        length: 12,
        quantity: 2,
        gender: 'female',
        confidence: null,
        ...ids(S1),
      },
      {
        label: '1/4-20 UNC-2A',
        thread_type: 'UTS',
        diameter: 0.25,
        pitch: 1.27,
        threads_per_inch: 20,
        unit: 'in',
        handedness: 'RIGHT',
        length: 0.5,
        quantity: 1,
        gender: 'male',
        confidence: null,
        ...ids(S1),
      },
    ]);
    expect(result.surface_finishes).toEqual([
      {
        label: 'Ra 1.6',
        standard: 'ISO 1302:2002',
        parameter: 'Ra(ISO)',
        value: 1.6,
        unit: 'µm',
        roughness_grade: 'N7',
        material_removal: 'REQUIRED',
        direction_of_lay: '=',
        applies_all_around: false,
        confidence: null,
        ...ids(S1),
      },
      {
        label: 'Rz 6.3',
        standard: 'ISO 1302:2002',
        parameter: 'Rz',
        value: 6.3,
        unit: 'µm',
        roughness_grade: 'N8',
        material_removal: 'UNSPECIFIED',
        direction_of_lay: null,
        applies_all_around: false,
        confidence: null,
        ...ids(S1),
      },
    ]);
    expect(result.materials).toEqual([
      {
        label: 'X5CrNi18-10 (1.4301)',
        designation: 'X5CrNi18-10',
        standard: 'EN 10088-3',
        category: ['FERROUS_ALLOY', 'STEEL', 'STAINLESS_STEEL'],
        source: 'title_block',
        confidence: null,
        page: 0,
      },
    ]);
    expect(result.title_block).toEqual({
      drawing_number: 'DWG-4711',
      title: 'Drive shaft',
      revision: null,
      date: null,
      author: null,
      company: null,
      scale: null,
      sheet: null,
      material: 'X5CrNi18-10 (1.4301)',
      finish: 'Ra 3.2 (√)',
      custom_fields: {
        part_ids: 'P-4711',
        order_number: 'ORD-99',
        general_tolerances: 'ISO 2768-mK',
        weight: '0.85 kg',
        projection_method: 'FIRST_ANGLE',
      },
      confidence: null,
    });
    expect(result.warnings).toEqual([
      '2 item(s) below confidence_threshold 0.7 dropped (dimensions 2)',
    ]);
    expect(result.metadata).toMatchObject({
      request_ids: ['6f1c2a4e-8d3b-4c5a-9e7f-1a2b3c4d5e6f'],
      confidence_threshold: 0.7,
      dropped_below_threshold: 2,
      asks: [
        'VARIANT_MEASURES',
        'VARIANT_GDTS',
        'VARIANT_THREAD_ELEMENTS',
        'VARIANT_ROUGHNESSES',
        'TITLE_BLOCK',
      ],
    });
  });

  it.each([
    [0, 6, []],
    [0.5, 5, ['1 item(s) below confidence_threshold 0.5 dropped (dimensions 1)']],
    ['0.9', 2, ['4 item(s) below confidence_threshold 0.9 dropped (dimensions 4)']],
    [1, 0, ['6 item(s) below confidence_threshold 1 dropped (dimensions 6)']],
  ])('confidence_threshold %p keeps %p dimensions', async (threshold, kept, warnings) => {
    const { run, transport } = setup();
    const result = await run({ confidence_threshold: threshold });
    expect(result.dimensions).toHaveLength(kept);
    expect(result.warnings).toEqual(warnings);
    expect(transport.requests[0].asks[0].confidence_min).toBe(Math.min(Number(threshold), 0.2));
    // Items Werk24 gives no confidence for are never dropped.
    expect(result.gdt_annotations).toHaveLength(2);
  });

  it.each([[-0.1], [1.5], ['abc'], [Number.NaN], [true]])(
    'rejects confidence_threshold %p',
    async (threshold) => {
      const { run, transport } = setup();
      await expectCode(run({ confidence_threshold: threshold }), 'INVALID_OPTIONS');
      expect(transport.requests).toHaveLength(0);
    },
  );

  it.each([
    ['extract_dimensions', 'VARIANT_MEASURES', 'dimensions'],
    ['extract_gdt', 'VARIANT_GDTS', 'gdt_annotations'],
    ['extract_threads', 'VARIANT_THREAD_ELEMENTS', 'threads'],
    ['extract_surface_finish', 'VARIANT_ROUGHNESSES', 'surface_finishes'],
  ] as const)('%s: false sends no %s ask and leaves %s empty', async (flag, ask, field) => {
    const { run, transport } = setup();
    const result = await run({ [flag]: false });
    expect(transport.requests[0].asks.map((a) => a.ask_type)).not.toContain(ask);
    expect(transport.requests[0].asks).toHaveLength(4);
    expect(result[field]).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('extract_title_block false keeps materials (still read from the title block) but no title_block', async () => {
    const { run, transport } = setup();
    const result = await run({ extract_title_block: false });
    expect(transport.requests[0].asks.map((a) => a.ask_type)).toContain('TITLE_BLOCK');
    expect(result.title_block).toBeNull();
    expect(result.materials).toHaveLength(1);
  });

  it('extract_materials false keeps the title block but lists no materials', async () => {
    const { run } = setup();
    const result = await run({ extract_materials: false });
    expect(result.materials).toEqual([]);
    expect(result.title_block?.drawing_number).toBe('DWG-4711');
  });

  it('sends no title block ask when neither materials nor title block are wanted', async () => {
    const { run, transport } = setup();
    await run({ extract_materials: false, extract_title_block: false });
    expect(transport.requests[0].asks.map((a) => a.ask_type)).toEqual([
      'VARIANT_MEASURES',
      'VARIANT_GDTS',
      'VARIANT_THREAD_ELEMENTS',
      'VARIANT_ROUGHNESSES',
    ]);
  });

  it('refuses a request that asks for nothing', async () => {
    const { run, transport } = setup();
    const off = {
      extract_dimensions: false,
      extract_gdt: false,
      extract_threads: false,
      extract_surface_finish: false,
      extract_materials: false,
      extract_title_block: false,
    };
    await expectCode(run(off), 'INVALID_OPTIONS');
    expect(transport.requests).toHaveLength(0);
  });

  it('reports Werk24 exceptions and rejections as errors with success false', async () => {
    const { run } = setup(new FakeTransport(recordedRejection()));
    const result = await run();
    expect(result.success).toBe(false);
    expect(result.errors).toEqual([
      'Werk24 could not answer VARIANT_MEASURES: DRAWING_RESOLUTION_TOO_LOW',
      'Werk24 rejected the drawing: PAPER_SIZE_LIMIT_EXCEEDED',
    ]);
    expect(result.dimensions).toEqual([]);
  });

  it('refuses unsupported extensions and files whose bytes do not match', async () => {
    const { run, transport } = setup();
    await expectCode(run({}, drawing, 'drawing.dxf'), 'UNSUPPORTED_FORMAT');
    await expectCode(run({}, drawing, 'drawing.pdf'), 'CORRUPT_FILE');
    const empty = join(dir, 'empty.jpg');
    await writeFile(empty, '');
    await expectCode(run({}, empty, 'empty.jpg'), 'CORRUPT_FILE');
    expect(transport.requests).toHaveLength(0);
  });

  it('accepts pdf, jpeg and tiff by their signatures', async () => {
    const { run, transport } = setup();
    const files: [string, Buffer][] = [
      ['a.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n')],
      ['a.jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])],
      ['a.tif', Buffer.from('II*\0\x08\0\0\0', 'latin1')],
    ];
    for (const [name, bytes] of files) {
      await writeFile(join(dir, name), bytes);
      await run({}, join(dir, name), name);
    }
    expect(transport.requests.map((r) => r.file.mimeType)).toEqual([
      'application/pdf',
      'image/jpeg',
      'image/tiff',
    ]);
  });
});

describe('werk24Extractor without configuration', () => {
  const saved = { key: process.env.WERK24_API_KEY, url: process.env.WERK24_BASE_URL };
  afterEach(() => {
    for (const [name, value] of [
      ['WERK24_API_KEY', saved.key],
      ['WERK24_BASE_URL', saved.url],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it.each([
    [undefined, undefined],
    ['key', undefined],
    [undefined, 'wss://example.invalid/'],
    ['  ', 'wss://example.invalid/'],
  ])('throws a permanent NOT_CONFIGURED (key %p, url %p)', async (key, url) => {
    if (key === undefined) delete process.env.WERK24_API_KEY;
    else process.env.WERK24_API_KEY = key;
    if (url === undefined) delete process.env.WERK24_BASE_URL;
    else process.env.WERK24_BASE_URL = url;
    const { werk24Extractor } = await import('./werk24.extractor');
    const error = await expectCode(
      werk24Extractor.extract({
        filePath: drawing,
        filename: 'drawing.png',
        options: {},
        onProgress: () => undefined,
        signal: new AbortController().signal,
      }),
      'NOT_CONFIGURED',
    );
    expect(error.message).toBe('Werk24 is not configured: set WERK24_API_KEY and WERK24_BASE_URL');
    expect(error.permanent).toBe(true);
  });

  it('rejects a base URL that is not ws(s) or http(s)', async () => {
    process.env.WERK24_API_KEY = 'key';
    process.env.WERK24_BASE_URL = 'ftp://example.invalid/';
    const { werk24Extractor } = await import('./werk24.extractor');
    const error = await expectCode(
      werk24Extractor.extract({
        filePath: drawing,
        filename: 'drawing.png',
        options: {},
        onProgress: () => undefined,
        signal: new AbortController().signal,
      }),
      'NOT_CONFIGURED',
    );
    expect(error.message).toMatch(/wss:\/\//);
  });
});
