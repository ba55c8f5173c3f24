/**
 * Every option the service accepts for a format (format-options.ts, checked against the docs'
 * tables by format-options.spec.ts) is posted through both routes: the synchronous
 * `POST /<format>` (multipart fields) and `POST /jobs` (multipart fields and JSON `options`).
 * None may be refused or dropped; DXF `max_entities` must reach the extractor on both.
 */
import { optionSpecs, OptionKind } from '../../src/api/services/format-options';
import { EXTRACTION_FORMATS, ExtractionFormat } from '../../src/extraction/entities/job-enums';
import { createE2eHarness, E2eHarness, eventually } from '../support/e2e-harness';
import { SAMPLE_DXF, SAMPLE_PNG, sampleIfc, samplePdf, sampleStep } from '../support/sample-files';

const API = '/api/v1/extraction';

/** A valid value of each kind, as the frontend sends it and as the service stores it. */
const VALUES: Record<OptionKind, [string, unknown]> = {
  boolean: ['true', true],
  'int-list': ['1', [1]],
  'name-list': ['IfcWall', ['IfcWall']],
  probability: ['0.5', 0.5],
  language: ['eng', 'eng'],
  text: ['0', '0'],
  'positive-int': ['1', 1],
  'ocr-mode': ['false', false],
  'entity-cap': ['1', 1],
};

const BOM_CSV = 'Item,Part Number,Description,Qty\n1,P-100,Bracket,2\n2,P-200,Bolt M8,8\n';

const ROUTE: Record<ExtractionFormat, string> = {
  pdf: 'pdf',
  dxf: 'dxf',
  ifc: 'ifc',
  step: 'step',
  werk24: 'werk24',
  bom: 'bom/extract',
};

describe('documented options over HTTP', () => {
  let h: E2eHarness;
  let alice: string;
  let files: Record<ExtractionFormat, [Buffer, string]>;

  beforeAll(async () => {
    h = await createE2eHarness('local');
    alice = `Bearer ${h.token('alice')}`;
    files = {
      pdf: [await samplePdf(), 'sheet.pdf'],
      dxf: [Buffer.from(SAMPLE_DXF), 'part.dxf'],
      ifc: [sampleIfc(), 'building.ifc'],
      step: [sampleStep(), 'box.step'],
      werk24: [SAMPLE_PNG, 'scan.png'],
      bom: [Buffer.from(BOM_CSV), 'bom.csv'],
    };
  });
  afterAll(async () => {
    await h?.close();
  });

  const cases = EXTRACTION_FORMATS.flatMap((format) =>
    Object.entries(optionSpecs()[format]).map(([name, kind]) => [format, name, kind] as const),
  );

  it.each(cases)('POST /%s accepts %s (%s)', async (format, name, kind) => {
    const [file, filename] = files[format];
    const res = await h
      .http()
      .post(`${API}/${ROUTE[format]}`)
      .set('Authorization', alice)
      .attach('file', file, filename)
      .field(name, VALUES[kind][0]);
    // Werk24 has no credentials here: its 503 comes after the options were read.
    if (format === 'werk24') {
      expect(res.body.code).toBe('NOT_CONFIGURED');
    } else {
      expect(res.body.code).toBeUndefined();
      expect(res.status).toBe(200);
      expect(res.body.source_file).toBe(filename);
    }
  });

  it.each(EXTRACTION_FORMATS)(
    'POST /jobs keeps every option of %s, as multipart fields and as JSON',
    async (format) => {
      const [file, filename] = files[format];
      const expected: Record<string, unknown> = {};
      const fields = h
        .http()
        .post(`${API}/jobs`)
        .set('Authorization', alice)
        .attach('file', file, filename)
        .field('format', format);
      for (const [name, kind] of Object.entries(optionSpecs()[format])) {
        fields.field(name, VALUES[kind][0]);
        expected[name] = VALUES[kind][1];
      }
      const asFields = await fields;
      expect(asFields.body.code).toBeUndefined();
      expect(asFields.status).toBe(202);
      expect(asFields.body.options).toEqual(expected);
      const asJson = await h
        .http()
        .post(`${API}/jobs`)
        .set('Authorization', alice)
        .attach('file', file, filename)
        .field('format', format)
        .field(
          'options',
          JSON.stringify(
            Object.fromEntries(
              Object.entries(optionSpecs()[format]).map(([n, k]) => [n, VALUES[k][0]]),
            ),
          ),
        );
      expect(asJson.body.code).toBeUndefined();
      expect(asJson.status).toBe(202);
      expect(asJson.body.options).toEqual(expected);
    },
  );

  it('applies DXF max_entities on both routes', async () => {
    const sync = await h
      .http()
      .post(`${API}/dxf`)
      .set('Authorization', alice)
      .attach('file', Buffer.from(SAMPLE_DXF), 'part.dxf')
      .field('extract_entities', 'true')
      .field('max_entities', '1');
    expect(sync.status).toBe(200);
    expect(sync.body.entities).toHaveLength(1);
    expect(sync.body.warnings.join('\n')).toContain('raise max_entities');
    const created = await h
      .http()
      .post(`${API}/jobs`)
      .set('Authorization', alice)
      .attach('file', Buffer.from(SAMPLE_DXF), 'part.dxf')
      .field('format', 'dxf')
      .field('options', JSON.stringify({ extract_entities: true, max_entities: 1 }));
    expect(created.status).toBe(202);
    const done = await eventually(`job ${created.body.id} to complete`, async () => {
      const body = (
        await h.http().get(`${API}/jobs/${created.body.id}`).set('Authorization', alice)
      ).body as { status: string; result: { entities: unknown[]; warnings: string[] } };
      return body.status === 'completed' ? body : null;
    });
    expect(done.result.entities).toHaveLength(1);
    expect(done.result.warnings.join('\n')).toContain('raise max_entities');
  });
});
