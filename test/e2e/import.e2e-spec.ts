/**
 * Import into tables end to end (issue 14): the frontend's sequence upload → poll → preview →
 * import → records, for a PDF parts list, DXF attributes, an IFC model and a STEP assembly, with
 * the built-in tables; the errors a user meets; a host module providing TABLE_GATEWAY; and
 * TABLES_DRIVER=none.
 */
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { buildApplication } from '../../src/bootstrap';
import { AppConfig } from '../../src/config/app-config';
import { featuresDrawing } from '../fixtures/dxf/dxf-fixtures';
import { writeIfc4Sample } from '../fixtures/ifc/sample-building';
import { generatePdfFixtures, removePdfFixtures } from '../fixtures/pdf/generate-pdf-fixtures';
import { writeAssemblyStep } from '../fixtures/step/step-assembly-fixture';
import { createE2eHarness, E2eHarness, eventually } from '../support/e2e-harness';
import { startServiceProcess } from '../support/worker-process';
import { HostTablesModule, RecordingTableGateway } from '../support/host-tables.module';
import { contractProblems, coveredRoutes } from '../support/openapi-contract';
import { TRUNCATED_DXF } from '../support/sample-files';

const API = '/api/v1/extraction';
const TABLES = '/api/v1/tables';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('import into tables', () => {
  let h: E2eHarness;
  let alice: string;
  let bob: string;
  const dir = mkdtempSync(join(tmpdir(), 'import-e2e-'));
  const jobs: Record<string, string> = {};

  const upload = async (auth: string, file: Buffer, name: string, format: string) => {
    const res = await h
      .http()
      .post(`${API}/jobs`)
      .set('Authorization', auth)
      .attach('file', file, name)
      .field('format', format);
    expect(res.status).toBe(202);
    return res.body.id as string;
  };
  const settled = (auth: string, id: string) =>
    eventually(`job ${id} to settle`, async () => {
      const res = await h.http().get(`${API}/jobs/${id}`).set('Authorization', auth);
      return ['completed', 'failed', 'cancelled'].includes(res.body.status)
        ? (res.body as Body)
        : null;
    });
  const createTable = async (auth: string, body: Body) => {
    const res = await h.http().post(TABLES).set('Authorization', auth).send(body);
    expect(res.status).toBe(201);
    return res.body as Body;
  };
  const fieldId = (table: Body, name: string) =>
    (table.fields as Body[]).find((f) => f.name === name)!.id as string;
  const preview = (auth: string, jobId: string, query: string) =>
    h.http().post(`${API}/jobs/${jobId}/preview?${query}`).set('Authorization', auth);
  const importRows = (auth: string, body: Body, key?: string) => {
    const req = h.http().post(`${API}/import`).set('Authorization', auth);
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const records = async (auth: string, tableId: string) => {
    const res = await h
      .http()
      .get(`${TABLES}/${tableId}/records?page_size=100`)
      .set('Authorization', auth);
    expect(res.status).toBe(200);
    return res.body as { items: Body[]; total: number };
  };

  /**
   * A completed BOM job of n items, as a worker would have left it: the result inline, or (stored)
   * offloaded to storage with the job naming it, as results above INLINE_RESULT_MAX_BYTES are.
   */
  const largeBomJob = async (n: number, filename: string, stored = false) => {
    const items = Array.from({ length: n }, (_, i) => ({
      item_id: String(i + 1),
      part_number: `K-${i}`,
      description: `Part ${i}`,
      quantity: 1 + (i % 9),
      material: null,
      revision: null,
      parent_id: null,
      level: 1,
    }));
    const result = {
      source_file: filename,
      source_type: 'bom',
      success: true,
      metadata: {},
      errors: [],
      warnings: [],
      bom: { items, headers: [], total_items: n, hierarchy_level: 1, is_flat: true },
      sheets: [],
    };
    const [job] = await h.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO extraction_jobs (owner_id, status, format, filename, result, progress, completed_at)
       VALUES ('alice', 'completed', 'bom', $2, $1, 100, now()) RETURNING id`,
      [stored ? null : JSON.stringify(result), filename],
    );
    if (stored) {
      const key = `results/alice/${job.id}-1.json`;
      await h.storage.putBuffer(key, JSON.stringify(result), { contentType: 'application/json' });
      await h.db.dataSource.query(`UPDATE extraction_jobs SET result_path = $2 WHERE id = $1`, [
        job.id,
        h.storage.urlFor(key),
      ]);
    }
    return job.id;
  };
  /** The events of a Server-Sent Events response read to its end. */
  const readEvents = async (path: string) => {
    const stream = await h
      .http()
      .get(path)
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => done(null, text));
      });
    expect(stream.status).toBe(200);
    return (stream.body as string)
      .split('\n\n')
      .filter(Boolean)
      .map((block) => ({
        type: /event: (\w+)/.exec(block)?.[1],
        data: JSON.parse(/data: (.*)/.exec(block)![1]) as Body,
      }));
  };

  beforeAll(async () => {
    // Imports above 20 rows run on the worker (the other cases stay below); event streams poll
    // every 100 ms so that an import of a few seconds shows its progress.
    h = await createE2eHarness('local', { IMPORT_ASYNC_ROWS: '20', SSE_POLL_INTERVAL_MS: '100' });
    alice = `Bearer ${h.token('alice')}`;
    bob = `Bearer ${h.token('bob')}`;
    const pdf = readFileSync((await generatePdfFixtures(dir)).drawing);
    const dxfPath = join(dir, 'pump.dxf');
    writeFileSync(dxfPath, featuresDrawing());
    const uploads: [string, Buffer, string][] = [
      ['pdf', pdf, 'drawing.pdf'],
      ['dxf', readFileSync(dxfPath), 'pump.dxf'],
      ['ifc', readFileSync(writeIfc4Sample(dir)), 'building.ifc'],
      ['step', readFileSync(writeAssemblyStep(dir)), 'frame.step'],
    ];
    for (const [format, file, name] of uploads)
      jobs[format] = await upload(alice, file, name, format);
    jobs.truncated = await upload(alice, Buffer.from(TRUNCATED_DXF), 'cut.dxf', 'dxf');
    for (const id of Object.values(jobs)) await settled(alice, id);
  }, 240_000);
  afterAll(async () => {
    await h?.close();
    await removePdfFixtures(dir);
  });

  describe("the frontend's sequence, per format", () => {
    it('PDF parts list: preview suggests the mapping, rows 0 and 2 become 2 records with provenance', async () => {
      const table = await createTable(alice, {
        name: 'Parts',
        fields: [
          { name: 'Part number', type: 'text' },
          { name: 'Description', type: 'text' },
          { name: 'Quantity', type: 'number' },
          { name: 'Matl', type: 'text' },
        ],
      });
      const res = await preview(alice, jobs.pdf, `table_id=${table.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        job_id: jobs.pdf,
        format: 'pdf',
        table_id: table.id,
        record_type: 'tables',
        suggested_mapping: {
          'PART NO': fieldId(table, 'Part number'),
          DESCRIPTION: fieldId(table, 'Description'),
          QTY: fieldId(table, 'Quantity'),
          MATERIAL: fieldId(table, 'Matl'),
        },
        target_fields: table.fields,
      });
      expect(res.body.record_types.slice(0, 1)).toEqual(['tables']);
      expect(res.body.source_fields).toEqual(
        expect.arrayContaining(['ITEM', 'PART NO', 'DESCRIPTION', 'QTY', 'MATERIAL']),
      );
      expect(res.body.total_records).toBeGreaterThanOrEqual(4);
      expect(res.body.sample_data[2]).toMatchObject({
        row_index: 2,
        'PART NO': 'BR-6204',
        QTY: '2',
      });

      const imported = await importRows(alice, {
        job_id: jobs.pdf,
        table_id: table.id,
        field_mapping: res.body.suggested_mapping,
        row_indices: [0, 2],
      });
      expect(imported.status).toBe(200);
      expect(imported.body).toEqual({
        success: true,
        records_imported: 2,
        records_failed: 0,
        records_skipped: 0,
        errors: [],
        errors_truncated: false,
        created_field_ids: [],
        job_id: jobs.pdf,
        table_id: table.id,
        record_type: 'tables',
      });
      const { items, total } = await records(alice, table.id);
      expect(total).toBe(2);
      expect(items).toEqual([
        expect.objectContaining({
          values: {
            [fieldId(table, 'Part number')]: 'HX-100',
            [fieldId(table, 'Description')]: 'Housing',
            [fieldId(table, 'Quantity')]: 1,
            [fieldId(table, 'Matl')]: 'EN-GJL-250',
          },
          source_job_id: jobs.pdf,
          source_file: 'drawing.pdf',
          row_index: 0,
          record_type: 'tables',
        }),
        expect.objectContaining({
          values: expect.objectContaining({ [fieldId(table, 'Quantity')]: 2 }),
          row_index: 2,
        }),
      ]);
    });

    it('DXF attributes: the BOM lines from block attributes, quantities as numbers', async () => {
      const table = await createTable(alice, {
        name: 'DXF parts',
        fields: [
          { name: 'Part number', type: 'text' },
          { name: 'Description', type: 'text' },
          { name: 'Qty', type: 'number' },
        ],
      });
      const res = await preview(alice, jobs.dxf, `table_id=${table.id}`);
      expect(res.body).toMatchObject({
        record_type: 'bom',
        total_records: 2,
        suggested_mapping: {
          part_number: fieldId(table, 'Part number'),
          description: fieldId(table, 'Description'),
          quantity: fieldId(table, 'Qty'),
        },
      });
      expect(res.body.record_types).toEqual(
        expect.arrayContaining(['bom', 'blocks', 'texts', 'layers']),
      );
      const imported = await importRows(alice, {
        job_id: jobs.dxf,
        table_id: table.id,
        field_mapping: res.body.suggested_mapping,
        row_indices: [0, 1],
      });
      expect(imported.body).toMatchObject({
        success: true,
        records_imported: 2,
        record_type: 'bom',
      });
      const { items } = await records(alice, table.id);
      expect(items.map((r) => r.values)).toEqual([
        {
          [fieldId(table, 'Part number')]: 'B-1',
          [fieldId(table, 'Description')]: 'Bolt M8',
          [fieldId(table, 'Qty')]: 4,
        },
        {
          [fieldId(table, 'Part number')]: 'W-8',
          [fieldId(table, 'Description')]: 'Washer',
          [fieldId(table, 'Qty')]: 8,
        },
      ]);
      expect(items[1]).toMatchObject({ source_file: 'pump.dxf', row_index: 1, record_type: 'bom' });
    });

    it('DXF title-block attributes with create_missing_fields: fields made with inferred types', async () => {
      const table = await createTable(alice, { name: 'Drawings', fields: [] });
      const res = await importRows(alice, {
        job_id: jobs.dxf,
        table_id: table.id,
        record_type: 'blocks',
        field_mapping: { entity_count: null },
        create_missing_fields: true,
        row_indices: [0],
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: true, records_imported: 1, record_type: 'blocks' });
      const got = await h.http().get(`${TABLES}/${table.id}`).set('Authorization', alice);
      const types = Object.fromEntries((got.body.fields as Body[]).map((f) => [f.name, f.type]));
      expect(types).toMatchObject({
        name: 'text',
        insert_count: 'number',
        DWG_NO: 'text',
        REV: 'text',
        DATE: 'date',
        TITLE: 'text',
      });
      expect(types).not.toHaveProperty('entity_count');
      expect(res.body.created_field_ids).toHaveLength((got.body.fields as Body[]).length);
      expect(got.body.record_count).toBe(1);
      const { items } = await records(alice, table.id);
      expect(items[0].values).toMatchObject({
        [fieldId(got.body, 'DWG_NO')]: 'A-100-01',
        [fieldId(got.body, 'DATE')]: '2024-01-15',
        [fieldId(got.body, 'insert_count')]: 1,
      });
    });

    it('IFC model: elements with GlobalId, storey, material and property columns', async () => {
      const table = await createTable(alice, {
        name: 'Elements',
        fields: [
          { name: 'Name', type: 'text' },
          { name: 'GlobalId', type: 'text' },
          { name: 'Storey', type: 'text' },
          { name: 'Material', type: 'text' },
          { name: 'Fire rating', type: 'text' },
        ],
      });
      const res = await preview(alice, jobs.ifc, `table_id=${table.id}`);
      expect(res.body).toMatchObject({
        record_type: 'elements',
        suggested_mapping: {
          name: fieldId(table, 'Name'),
          global_id: fieldId(table, 'GlobalId'),
          storey: fieldId(table, 'Storey'),
          material: fieldId(table, 'Material'),
          'Pset_WallCommon.FireRating': fieldId(table, 'Fire rating'),
        },
      });
      const imported = await importRows(alice, {
        job_id: jobs.ifc,
        table_id: table.id,
        field_mapping: res.body.suggested_mapping,
        row_indices: [0, 2],
      });
      expect(imported.body).toMatchObject({ success: true, records_imported: 2 });
      const { items } = await records(alice, table.id);
      expect(items.map((r) => r.row_index)).toEqual([0, 2]);
      expect(items[0].values).toMatchObject({
        [fieldId(table, 'Name')]: res.body.sample_data[0].name,
        [fieldId(table, 'GlobalId')]: res.body.sample_data[0].global_id,
        [fieldId(table, 'Storey')]: res.body.sample_data[0].storey,
      });
      expect(items[0]).toMatchObject({ source_file: 'building.ifc', record_type: 'elements' });
    });

    it('STEP assembly: parts of the tree with their volumes', async () => {
      const table = await createTable(alice, {
        name: 'Solids',
        fields: [
          { name: 'Name', type: 'text' },
          { name: 'Volume', type: 'number' },
        ],
      });
      const res = await preview(alice, jobs.step, `table_id=${table.id}`);
      expect(res.body).toMatchObject({
        record_type: 'parts',
        total_records: 4,
        suggested_mapping: { name: fieldId(table, 'Name'), volume: fieldId(table, 'Volume') },
      });
      const imported = await importRows(alice, {
        job_id: jobs.step,
        table_id: table.id,
        field_mapping: res.body.suggested_mapping,
        row_indices: [0, 2],
      });
      expect(imported.body).toMatchObject({ success: true, records_imported: 2 });
      const { items } = await records(alice, table.id);
      expect(items.map((r) => [r.row_index, r.values[fieldId(table, 'Volume')]])).toEqual([
        [0, res.body.sample_data[0].volume],
        [2, res.body.sample_data[2].volume],
      ]);
      expect(res.body.sample_data[0].volume).toBeGreaterThan(0);
    });
  });

  describe('never twice', () => {
    it('two concurrent imports of the same rows into one table insert each row once', async () => {
      const table = await createTable(alice, {
        name: 'Concurrent',
        fields: [{ name: 'Part number', type: 'text' }],
      });
      const body = {
        job_id: jobs.pdf,
        table_id: table.id,
        field_mapping: { 'PART NO': fieldId(table, 'Part number') },
      };
      const answers = await Promise.all([importRows(alice, body), importRows(alice, body)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const rows = answers[0].body.records_imported + answers[0].body.records_skipped;
      expect(rows).toBeGreaterThan(0);
      // One took every row, the other found them there (the ledger row made them take turns).
      expect(answers.map((a) => [a.body.records_imported, a.body.records_skipped]).sort()).toEqual([
        [0, rows],
        [rows, 0],
      ]);
      const { items, total } = await records(alice, table.id);
      expect(total).toBe(rows);
      expect(new Set(items.map((r) => r.row_index)).size).toBe(rows);
    });

    it('replays an Idempotency-Key with the first response and skips rows already imported', async () => {
      const table = await createTable(alice, {
        name: 'Replay',
        fields: [{ name: 'Part number', type: 'text' }],
      });
      const body = {
        job_id: jobs.pdf,
        table_id: table.id,
        field_mapping: { 'PART NO': fieldId(table, 'Part number') },
        row_indices: [0, 1],
      };
      const first = await importRows(alice, body, 'import-key-1');
      expect(first.body).toMatchObject({ records_imported: 2, records_skipped: 0 });
      const replay = await importRows(alice, body, 'import-key-1');
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(first.body);
      expect((await records(alice, table.id)).total).toBe(2);

      const again = await importRows(alice, { ...body, row_indices: [0, 1, 2] });
      expect(again.body).toMatchObject({ records_imported: 1, records_skipped: 2 });
      expect((await records(alice, table.id)).total).toBe(3);

      const copies = await importRows(alice, { ...body, allow_duplicates: true });
      expect(copies.body).toMatchObject({ records_imported: 2, records_skipped: 0 });
      const { items } = await records(alice, table.id);
      expect(items.map((r) => r.row_index)).toEqual([0, 1, 2, 0, 1]);
    });
  });

  describe('errors a user meets', () => {
    let table: Body;
    beforeAll(async () => {
      table = await createTable(alice, {
        name: 'Checks',
        fields: [
          { name: 'Name', type: 'text' },
          { name: 'Rating', type: 'number' },
        ],
      });
    });

    it("answers 404 for another user's job and another user's table", async () => {
      const job = await preview(bob, jobs.pdf, '');
      expect(job.status).toBe(404);
      expect(job.body.code).toBe('JOB_NOT_FOUND');
      const bobsJob = await upload(
        bob,
        readFileSync(writeAssemblyStep(dir, 'b.step')),
        'b.step',
        'step',
      );
      await settled(bob, bobsJob);
      const res = await importRows(bob, { job_id: bobsJob, table_id: table.id, field_mapping: {} });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'TABLE_NOT_FOUND', details: { table_id: table.id } });
      const foreign = await importRows(bob, {
        job_id: jobs.pdf,
        table_id: table.id,
        field_mapping: {},
      });
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('JOB_NOT_FOUND');
      const tableRead = await h.http().get(`${TABLES}/${table.id}`).set('Authorization', bob);
      expect(tableRead.status).toBe(404);
      const missing = await importRows(alice, {
        job_id: jobs.pdf,
        table_id: '00000000-0000-4000-8000-000000000000',
        field_mapping: {},
      });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('TABLE_NOT_FOUND');
    });

    it('answers 400 FIELD_NOT_FOUND for an unknown target field and 403 for a read-only table', async () => {
      const res = await importRows(alice, {
        job_id: jobs.ifc,
        table_id: table.id,
        field_mapping: { name: 'no-such-field' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'FIELD_NOT_FOUND',
        details: { field_ids: ['no-such-field'] },
      });
      const readOnly = await createTable(alice, { name: 'Reference', read_only: true, fields: [] });
      const forbidden = await importRows(alice, {
        job_id: jobs.ifc,
        table_id: readOnly.id,
        field_mapping: {},
        create_missing_fields: true,
      });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
    });

    it('validates the body and the row indices with VALIDATION_FAILED', async () => {
      const bad = await importRows(alice, { job_id: 'x', table_id: table.id, field_mapping: {} });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(bad.body.details.fields).toHaveProperty('job_id');
      const range = await importRows(alice, {
        job_id: jobs.step,
        table_id: table.id,
        field_mapping: {},
        row_indices: [0, 99],
      });
      expect(range.status).toBe(400);
      expect(range.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { out_of_range: [99] },
      });
      const type = await preview(alice, jobs.step, 'record_type=elements');
      expect(type.status).toBe(400);
      expect(type.body.message).toContain('parts, bom');
    });

    it('reports values that do not fit; skip_errors=false imports nothing, true imports the rest', async () => {
      const body = {
        job_id: jobs.ifc,
        table_id: table.id,
        field_mapping: {
          name: fieldId(table, 'Name'),
          'Pset_WallCommon.FireRating': fieldId(table, 'Rating'),
        },
      };
      const strict = await importRows(alice, { ...body, skip_errors: false });
      expect(strict.status).toBe(200);
      expect(strict.body).toMatchObject({
        success: false,
        records_imported: 0,
        created_field_ids: [],
      });
      expect(strict.body.records_failed).toBeGreaterThan(0);
      expect(strict.body.errors[0]).toEqual({
        row_index: expect.any(Number),
        row: expect.objectContaining({ 'Pset_WallCommon.FireRating': 'REI 90' }),
        field: 'Pset_WallCommon.FireRating',
        message: '"REI 90" is not a valid number',
      });
      expect((await records(alice, table.id)).total).toBe(0);

      const lenient = await importRows(alice, { ...body, skip_errors: true });
      const total = (await preview(alice, jobs.ifc, '')).body.total_records as number;
      expect(lenient.body).toMatchObject({
        success: true,
        records_failed: strict.body.records_failed,
      });
      expect(lenient.body.records_imported).toBe(total - strict.body.records_failed);
      expect((await records(alice, table.id)).total).toBe(total - strict.body.records_failed);
    });

    it('answers 409 JOB_NOT_COMPLETED for a failed job, and imports its partial result when asked', async () => {
      const res = await preview(alice, jobs.truncated, '');
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'JOB_NOT_COMPLETED', details: { status: 'failed' } });
      expect(res.body.message).toContain('allow_partial=true');
      const partial = await importRows(alice, {
        job_id: jobs.truncated,
        table_id: table.id,
        field_mapping: {},
        allow_partial: true,
      });
      expect(partial.status).toBe(200);
      expect(partial.body).toMatchObject({ success: true, records_failed: 0 });
    });
  });

  describe('tables routes', () => {
    it('lists, pages and deletes the caller’s tables only', async () => {
      const first = await createTable(alice, { name: 'First', fields: [] });
      const second = await createTable(alice, { name: 'Second', fields: [] });
      const all = await h.http().get(`${TABLES}?page_size=100`).set('Authorization', alice);
      expect(all.status).toBe(200);
      const ids = (all.body.items as Body[]).map((t) => t.id);
      expect(ids.indexOf(second.id)).toBe(ids.indexOf(first.id) + 1);
      const paged = await h
        .http()
        .get(`${TABLES}?page=${all.body.total}&page_size=1`)
        .set('Authorization', alice);
      expect(paged.body).toMatchObject({ total: all.body.total, page_size: 1 });
      expect(paged.body.items.map((t: Body) => t.id)).toEqual([second.id]);
      const theirs = await h.http().get(TABLES).set('Authorization', bob);
      expect(theirs.body).toEqual({ items: [], total: 0, page: 1, page_size: 20 });
      const doomed = await createTable(alice, {
        name: 'Doomed',
        fields: [{ name: 'A', type: 'text' }],
      });
      expect(
        (await h.http().delete(`${TABLES}/${doomed.id}`).set('Authorization', bob)).status,
      ).toBe(404);
      expect(
        (await h.http().delete(`${TABLES}/${doomed.id}`).set('Authorization', alice)).status,
      ).toBe(204);
      expect(
        (await h.http().get(`${TABLES}/${doomed.id}`).set('Authorization', alice)).status,
      ).toBe(404);
      const invalid = await h
        .http()
        .post(TABLES)
        .set('Authorization', alice)
        .send({ name: 'x', fields: [{ name: 'a', type: 'money' }] });
      expect(invalid.status).toBe(400);
      expect(invalid.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('bulk', () => {
    it('previews the union of fields over the completed files and imports them with their file names', async () => {
      const dxf = featuresDrawing();
      const req = h.http().post(`${API}/bulk`).set('Authorization', alice);
      req.attach('files', Buffer.from(dxf), 'pump.dxf');
      req.attach('files', Buffer.from(dxf), 'pump2.dxf');
      req.attach('files', Buffer.from(TRUNCATED_DXF), 'cut.dxf');
      const created = await req;
      expect(created.status).toBe(202);
      const bulkId = created.body.bulk_job_id as string;
      await eventually('bulk to settle', async () => {
        const b = await h.http().get(`${API}/bulk/${bulkId}`).set('Authorization', alice);
        return b.body.files_pending === 0 ? b.body : null;
      });
      const table = await createTable(alice, {
        name: 'Bulk parts',
        fields: [
          { name: 'Part number', type: 'text' },
          { name: 'File', type: 'text' },
        ],
      });
      const preview = await h
        .http()
        .post(`${API}/bulk/${bulkId}/preview?table_id=${table.id}&include_source_file=true`)
        .set('Authorization', alice);
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({
        bulk_job_id: bulkId,
        total_records: 4,
        suggested_mapping: { part_number: fieldId(table, 'Part number') },
      });
      expect(preview.body.source_fields).toEqual(
        expect.arrayContaining(['part_number', 'quantity', 'source_file', 'source_format']),
      );
      const files = preview.body.files as Body[];
      expect(files.map((f) => [f.filename, f.status, f.total_records]).sort()).toEqual([
        ['cut.dxf', 'failed', 0],
        ['pump.dxf', 'completed', 2],
        ['pump2.dxf', 'completed', 2],
      ]);
      expect(preview.body.sample_data[0]).toMatchObject({
        job_id: expect.any(String),
        row_index: 0,
        source_format: 'dxf',
      });

      const body = {
        bulk_job_id: bulkId,
        table_id: table.id,
        field_mapping: {
          part_number: fieldId(table, 'Part number'),
          source_file: fieldId(table, 'File'),
        },
        include_source_file: true,
      };
      const imported = await h
        .http()
        .post(`${API}/bulk/import`)
        .set('Authorization', alice)
        .send(body);
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({
        success: true,
        records_imported: 4,
        records_failed: 0,
      });
      expect((imported.body.files as Body[]).map((f) => f.records_imported)).toEqual([2, 2]);
      const { items } = await records(alice, table.id);
      expect(items.map((r) => r.values[fieldId(table, 'File')]).sort()).toEqual([
        'pump.dxf',
        'pump.dxf',
        'pump2.dxf',
        'pump2.dxf',
      ]);
      const pump = files.find((f) => f.filename === 'pump.dxf')!;
      const again = await h
        .http()
        .post(`${API}/bulk/import`)
        .set('Authorization', alice)
        .send({ ...body, file_selection: [pump.job_id] });
      expect(again.body).toMatchObject({ records_imported: 0, records_skipped: 2 });
      const foreign = await h
        .http()
        .post(`${API}/bulk/import`)
        .set('Authorization', alice)
        .send({ ...body, file_selection: [jobs.pdf] });
      expect(foreign.status).toBe(400);
      expect(foreign.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { job_ids: [jobs.pdf] },
      });
      const notBulk = await h
        .http()
        .post(`${API}/bulk/${jobs.pdf}/preview`)
        .set('Authorization', alice);
      expect(notBulk.status).toBe(400);
      const bobs = await h.http().post(`${API}/bulk/${bulkId}/preview`).set('Authorization', bob);
      expect(bobs.status).toBe(404);
    });
  });

  describe('bulk row_indices', () => {
    it('imports only the rows picked per file (job id → row indices), all rows of the others', async () => {
      const dxf = featuresDrawing();
      const req = h.http().post(`${API}/bulk`).set('Authorization', alice);
      req.attach('files', Buffer.from(dxf), 'left.dxf');
      req.attach('files', Buffer.from(dxf), 'right.dxf');
      req.attach('files', Buffer.from(TRUNCATED_DXF), 'broken.dxf');
      const created = await req;
      expect(created.status).toBe(202);
      const bulkId = created.body.bulk_job_id as string;
      await eventually('bulk to settle', async () => {
        const b = await h.http().get(`${API}/bulk/${bulkId}`).set('Authorization', alice);
        return b.body.files_pending === 0 ? b.body : null;
      });
      const table = await createTable(alice, {
        name: 'Picked rows',
        fields: [{ name: 'Part number', type: 'text' }],
      });
      const preview = await h
        .http()
        .post(`${API}/bulk/${bulkId}/preview?table_id=${table.id}`)
        .set('Authorization', alice);
      expect(preview.status).toBe(200);
      const fileOf = (name: string) =>
        (preview.body.files as Body[]).find((f) => f.filename === name)!.job_id as string;
      const [left, right, broken] = ['left.dxf', 'right.dxf', 'broken.dxf'].map(fileOf);
      // The frontend sends back the job_id and row_index of the sample rows the user ticked.
      const picked = (preview.body.sample_data as Body[]).find(
        (r) => r.job_id === left && r.row_index === 1,
      )!;
      expect(picked).toBeDefined();
      const body = {
        bulk_job_id: bulkId,
        table_id: table.id,
        field_mapping: { part_number: fieldId(table, 'Part number') },
        row_indices: { [left]: [1] },
      };
      const imported = await h
        .http()
        .post(`${API}/bulk/import`)
        .set('Authorization', alice)
        .send(body);
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({
        success: true,
        records_imported: 3,
        records_failed: 0,
      });
      expect(
        (imported.body.files as Body[]).map((f) => [f.job_id, f.records_imported]).sort(),
      ).toEqual(
        [
          [left, 1],
          [right, 2],
        ].sort(),
      );
      const { items } = await records(alice, table.id);
      expect(
        items.map((r) => [r.source_job_id, r.row_index, r.values[fieldId(table, 'Part number')]]),
      ).toEqual(
        expect.arrayContaining([
          [left, 1, picked.part_number],
          [right, 0, expect.any(String)],
          [right, 1, expect.any(String)],
        ]),
      );
      expect(items).toHaveLength(3);

      const refused = async (rowIndices: unknown) => {
        const res = await h
          .http()
          .post(`${API}/bulk/import`)
          .set('Authorization', alice)
          .send({ ...body, row_indices: rowIndices });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        return res.body as Body;
      };
      expect(await refused({ [left]: [7] })).toMatchObject({
        details: { field: 'row_indices', job_id: left, out_of_range: [7], total_records: 2 },
      });
      expect(await refused({ [broken]: [0] })).toMatchObject({
        details: { field: 'row_indices', job_ids: [broken] },
      });
      expect(await refused({ 'not-a-job': [0] })).toMatchObject({
        details: { fields: { row_indices: ['not-a-job: not a file job id'] } },
      });
      await refused({ [left]: [-1] });
      await refused([0, 2]);
      // Nothing of the refused requests went in.
      expect((await records(alice, table.id)).total).toBe(3);
    });
  });

  describe('BOM import', () => {
    it('imports posted items by mode: validated_only reports bad items, new_only skips known part numbers', async () => {
      const table = await createTable(alice, {
        name: 'BOM',
        fields: [
          { name: 'Part number', type: 'text' },
          { name: 'Description', type: 'text' },
          { name: 'Quantity', type: 'number' },
        ],
      });
      const field_mapping = {
        part_number: fieldId(table, 'Part number'),
        description: fieldId(table, 'Description'),
        quantity: fieldId(table, 'Quantity'),
      };
      const bomImport = (body: Body) =>
        h
          .http()
          .post(`${API}/bom/import`)
          .set('Authorization', alice)
          .send({ table_id: table.id, field_mapping, ...body });
      const validated = await bomImport({
        import_mode: 'validated_only',
        source_file: 'bom.xlsx',
        bom_data: {
          items: [
            { item_id: '1', part_number: 'A-1', description: 'Bolt', quantity: 4 },
            { item_id: '2', part_number: 'A-2', description: 'Nut', quantity: 0 },
            { item_id: '3', part_number: '', description: '', quantity: 1 },
            { item_id: '4', part_number: 'A-4', description: 'Washer', quantity: '2' },
          ],
        },
      });
      expect(validated.status).toBe(200);
      expect(validated.body).toMatchObject({
        success: true,
        import_mode: 'validated_only',
        records_imported: 2,
        records_failed: 2,
        records_skipped: 0,
      });
      expect(validated.body.errors.map((e: Body) => [e.row_index, e.field])).toEqual([
        [1, 'quantity'],
        [2, 'part_number'],
      ]);
      const newOnly = await bomImport({
        import_mode: 'new_only',
        batch_size: 1,
        bom_data: [
          { part_number: 'A-1', description: 'Bolt', quantity: 1 },
          { part_number: 'A-3', description: 'Pin', quantity: 1 },
          { part_number: 'A-3', description: 'Pin again', quantity: 1 },
        ],
      });
      expect(newOnly.body).toMatchObject({ records_imported: 1, records_skipped: 2 });
      const { items } = await records(alice, table.id);
      expect(items.map((r) => r.values[fieldId(table, 'Part number')])).toEqual([
        'A-1',
        'A-4',
        'A-3',
      ]);
      expect(items[1]).toMatchObject({
        source_job_id: null,
        source_file: 'bom.xlsx',
        row_index: 3,
        record_type: 'bom_items',
        values: expect.objectContaining({ [fieldId(table, 'Quantity')]: 2 }),
      });
      const bad = await bomImport({ bom_data: { rows: [] } });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      const needsKey = await bomImport({
        import_mode: 'new_only',
        field_mapping: {},
        bom_data: [],
      });
      expect(needsKey.status).toBe(400);
    });
  });

  describe('large imports', () => {
    it('answers 202 above IMPORT_ASYNC_ROWS and completes on a worker with exact counts', async () => {
      const csv = [
        'Item,Part Number,Description,Qty,Material',
        ...Array.from(
          { length: 60 },
          (_, i) => `${i + 1},P-${1000 + i},Part ${i + 1},${1 + (i % 4)},S235`,
        ),
      ].join('\n');
      const jobId = await upload(alice, Buffer.from(csv), 'parts.csv', 'bom');
      expect((await settled(alice, jobId)).status).toBe('completed');
      const table = await createTable(alice, {
        name: 'Large',
        fields: [
          { name: 'Part number', type: 'text' },
          { name: 'Quantity', type: 'number' },
        ],
      });
      const body = {
        job_id: jobId,
        table_id: table.id,
        field_mapping: {
          part_number: fieldId(table, 'Part number'),
          quantity: fieldId(table, 'Quantity'),
        },
      };
      const accepted = await importRows(alice, body, 'large-import-1');
      expect(accepted.status).toBe(202);
      expect(accepted.body).toEqual({
        import_id: expect.any(String),
        status: 'pending',
        total_rows: 60,
        status_url: `${API}/imports/${accepted.body.import_id}`,
      });
      const replay = await importRows(alice, body, 'large-import-1');
      expect(replay.status).toBe(202);
      expect(replay.body).toEqual(accepted.body);
      const done = await eventually('the import run to finish', async () => {
        const res = await h.http().get(accepted.body.status_url).set('Authorization', alice);
        expect(res.status).toBe(200);
        return ['completed', 'failed'].includes(res.body.status) ? (res.body as Body) : null;
      });
      expect(done).toMatchObject({
        status: 'completed',
        total_rows: 60,
        processed_rows: 60,
        progress: 100,
        error_code: null,
        result: { success: true, records_imported: 60, records_failed: 0, job_id: jobId },
      });
      const { items, total } = await records(alice, table.id);
      expect(total).toBe(60);
      expect(new Set(items.map((r) => r.row_index)).size).toBe(60);
      expect(items[5].values).toEqual({
        [fieldId(table, 'Part number')]: 'P-1005',
        [fieldId(table, 'Quantity')]: 2,
      });
      const theirs = await h.http().get(accepted.body.status_url).set('Authorization', bob);
      expect(theirs.status).toBe(404);
      expect(theirs.body.code).toBe('IMPORT_NOT_FOUND');
      const unknownField = await importRows(alice, {
        ...body,
        field_mapping: { part_number: 'nope' },
      });
      expect(unknownField.status).toBe(400);
    });

    it('imports the rows of a result offloaded to storage, picked and all of them', async () => {
      const n = 3_000;
      const jobId = await largeBomJob(n, 'stored.csv', true);
      const table = await createTable(alice, {
        name: 'From storage',
        fields: [
          { name: 'Part number', type: 'text' },
          { name: 'Quantity', type: 'number' },
        ],
      });
      const mapping = {
        part_number: fieldId(table, 'Part number'),
        quantity: fieldId(table, 'Quantity'),
      };
      const picked = await importRows(alice, {
        job_id: jobId,
        table_id: table.id,
        field_mapping: mapping,
        row_indices: [2, 2999],
      });
      expect(picked.status).toBe(200);
      expect(picked.body).toMatchObject({
        success: true,
        records_imported: 2,
        record_type: 'items',
      });
      const outOfRange = await importRows(alice, {
        job_id: jobId,
        table_id: table.id,
        field_mapping: mapping,
        row_indices: [3000],
      });
      expect(outOfRange.status).toBe(400);
      expect(outOfRange.body.details).toMatchObject({ out_of_range: [3000], total_records: n });
      const accepted = await importRows(alice, {
        job_id: jobId,
        table_id: table.id,
        field_mapping: mapping,
      });
      expect(accepted.status).toBe(202);
      expect(accepted.body.total_rows).toBe(n);
      const done = await eventually('the stored import to finish', async () => {
        const res = await h.http().get(accepted.body.status_url).set('Authorization', alice);
        return ['completed', 'failed'].includes(res.body.status) ? (res.body as Body) : null;
      });
      expect(done).toMatchObject({
        status: 'completed',
        result: { success: true, records_imported: n - 2, records_skipped: 2 },
      });
      const [counts] = await h.db.dataSource.query<Body[]>(
        `SELECT count(*)::int AS total, count(DISTINCT row_index)::int AS rows,
                min(row_index) AS first, max(row_index) AS last
         FROM data_table_records WHERE table_id = $1`,
        [table.id],
      );
      expect(counts).toEqual({ total: n, rows: n, first: 0, last: n - 1 });
      const [row] = await h.db.dataSource.query<Body[]>(
        `SELECT "values" FROM data_table_records WHERE table_id = $1 AND row_index = 1234`,
        [table.id],
      );
      expect(row.values).toEqual({
        [mapping.part_number]: 'K-1234',
        [mapping.quantity]: 1 + (1234 % 9),
      });
    }, 60_000);

    it('streams a large import as Server-Sent Events: status, progress, and the GET body at the end', async () => {
      const n = 50_000;
      const jobId = await largeBomJob(n, 'streamed.csv');
      const table = await createTable(alice, {
        name: 'Streamed',
        fields: [
          { name: 'Part number', type: 'text' },
          { name: 'Quantity', type: 'number' },
        ],
      });
      const accepted = await importRows(alice, {
        job_id: jobId,
        table_id: table.id,
        field_mapping: {
          part_number: fieldId(table, 'Part number'),
          quantity: fieldId(table, 'Quantity'),
        },
      });
      expect(accepted.status).toBe(202);
      const url = `${accepted.body.status_url}/events`;
      const theirs = await h.http().get(`${url}?access_token=${h.token('bob')}`);
      expect(theirs.status).toBe(404);
      expect(theirs.body.code).toBe('IMPORT_NOT_FOUND');

      const events = await readEvents(`${url}?access_token=${h.token('alice')}`);
      expect(events[0].type).toBe('status');
      const progress = events.filter((e) => e.type === 'progress').map((e) => e.data);
      expect(progress.length).toBeGreaterThan(0);
      for (const p of progress) {
        expect(p).toMatchObject({ import_id: accepted.body.import_id, status: 'processing' });
        expect(p.processed_rows).toBeGreaterThan(0);
        expect(p.processed_rows).toBeLessThan(n);
      }
      const counts = progress.map((p) => p.processed_rows as number);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      const last = events.at(-1)!;
      expect(last.type).toBe('status');
      const final = await h.http().get(accepted.body.status_url).set('Authorization', alice);
      expect(final.status).toBe(200);
      expect(last.data).toEqual(final.body);
      expect(last.data).toMatchObject({
        status: 'completed',
        processed_rows: n,
        progress: 100,
        result: { success: true, records_imported: n, records_failed: 0, job_id: jobId },
      });
      expect((await records(alice, table.id)).total).toBe(n);
      // A finished run's stream answers its final state at once and ends.
      const again = await readEvents(`${url}?access_token=${h.token('alice')}`);
      expect(again).toEqual([{ type: 'status', data: final.body }]);
    }, 120_000);

    it('completes with every row exactly once after its worker is SIGKILLed mid-import', async () => {
      const n = 100_000;
      const job = { id: await largeBomJob(n, 'big.csv') };
      const table = await createTable(alice, {
        name: 'Killed',
        fields: [
          { name: 'Part number', type: 'text' },
          { name: 'Quantity', type: 'number' },
        ],
      });
      const accepted = await importRows(alice, {
        job_id: job.id,
        table_id: table.id,
        field_mapping: {
          part_number: fieldId(table, 'Part number'),
          quantity: fieldId(table, 'Quantity'),
        },
      });
      expect(accepted.status).toBe(202);
      const status = async () =>
        (await h.http().get(accepted.body.status_url).set('Authorization', alice)).body as Body;
      await eventually(
        'the import to be under way',
        async () => {
          const run = await status();
          return run.status === 'processing' && run.processed_rows > 0 && run.processed_rows < n;
        },
        60_000,
      );
      await h.worker.stop('SIGKILL');
      const midway = await records(alice, table.id);
      expect(midway.total).toBe(0); // one transaction: a killed import leaves nothing
      h.worker = await startServiceProcess({ ...h.env, ROLE: 'worker' });
      const done = await eventually(
        'the import to finish on the new worker',
        async () => {
          const run = await status();
          return ['completed', 'failed'].includes(run.status) ? run : null;
        },
        120_000,
      );
      expect(done).toMatchObject({
        status: 'completed',
        processed_rows: n,
        result: { success: true, records_imported: n, records_failed: 0, records_skipped: 0 },
      });
      const [counts] = await h.db.dataSource.query<{ total: number; rows: number }[]>(
        `SELECT count(*)::int AS total, count(DISTINCT row_index)::int AS rows
         FROM data_table_records WHERE table_id = $1`,
        [table.id],
      );
      expect(counts).toEqual({ total: n, rows: n });
      const [run] = await h.db.dataSource.query<{ attempt: number }[]>(
        `SELECT attempt FROM import_runs WHERE id = $1`,
        [accepted.body.import_id],
      );
      expect(run.attempt).toBe(2);
    }, 240_000);
  });

  describe('other table providers', () => {
    const extraApp = async (env: Record<string, string>, host = {}) => {
      const config = AppConfig.fromEnvironment({}, { ...h.env, ...env, ROLE: 'api' });
      const app = await buildApplication(
        config,
        (module) => NestFactory.create(module, { logger: ['error'] }),
        host,
      );
      await app.init();
      return app;
    };

    it('a host module providing TABLE_GATEWAY receives the rows, with provenance', async () => {
      let app: INestApplication | undefined;
      try {
        app = await extraApp({}, { tables: HostTablesModule });
        const res = await request(app.getHttpServer())
          .post(`${API}/import`)
          .set('Authorization', alice)
          .send({
            job_id: jobs.pdf,
            table_id: 'host-parts',
            field_mapping: { 'PART NO': 'hf-pn', QTY: 'hf-qty' },
            row_indices: [1, 3],
          });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ success: true, records_imported: 2 });
        const gateway = app.get(RecordingTableGateway);
        expect(gateway.received).toEqual([
          {
            tableId: 'host-parts',
            records: [
              {
                values: { 'hf-pn': 'SH-200', 'hf-qty': 1 },
                provenance: {
                  source_job_id: jobs.pdf,
                  source_file: 'drawing.pdf',
                  row_index: 1,
                  record_type: 'tables',
                },
              },
              {
                values: { 'hf-pn': 'SC-M10', 'hf-qty': 8 },
                provenance: {
                  source_job_id: jobs.pdf,
                  source_file: 'drawing.pdf',
                  row_index: 3,
                  record_type: 'tables',
                },
              },
            ],
          },
        ]);
        const forbidden = await request(app.getHttpServer())
          .post(`${API}/import`)
          .set('Authorization', alice)
          .send({ job_id: jobs.pdf, table_id: 'host-archive', field_mapping: {} });
        expect(forbidden.status).toBe(403);
        const builtinRoutes = await request(app.getHttpServer())
          .get(TABLES)
          .set('Authorization', alice);
        expect(builtinRoutes.status).toBe(404);
      } finally {
        await app?.close();
      }
    });

    it('TABLES_DRIVER=none answers 501 with a clear message', async () => {
      let app: INestApplication | undefined;
      try {
        app = await extraApp({ TABLES_DRIVER: 'none' });
        const res = await request(app.getHttpServer())
          .post(`${API}/jobs/${jobs.pdf}/preview?table_id=t1`)
          .set('Authorization', alice);
        expect(res.status).toBe(501);
        expect(res.body.code).toBe('NOT_IMPLEMENTED');
        expect(res.body.message).toContain('TABLES_DRIVER=none');
      } finally {
        await app?.close();
      }
    });
  });

  // Last on purpose: every response of the built-in app above, against the OpenAPI document.
  it('answered every request as the OpenAPI document describes it', async () => {
    const document = (await h.http().get('/api/docs/openapi.json')).body as unknown;
    expect(coveredRoutes(document, h.responses)).toEqual(
      expect.arrayContaining([
        `POST ${API}/jobs/{id}/preview 200`,
        `POST ${API}/import 200`,
        `POST ${API}/import 400`,
        `POST ${API}/import 403`,
        `POST ${API}/import 404`,
        `POST ${API}/bulk/{id}/preview 200`,
        `POST ${API}/bulk/import 200`,
        `POST ${API}/bom/import 200`,
        `POST ${API}/import 202`,
        `GET ${API}/imports/{id} 200`,
        `GET ${API}/imports/{id}/events 200`,
        `GET ${API}/imports/{id}/events 404`,
        `POST ${API}/bulk/import 400`,
        `POST ${TABLES} 201`,
        `GET ${TABLES}/{id}/records 200`,
        `DELETE ${TABLES}/{id} 204`,
      ]),
    );
    expect(contractProblems(document, h.responses)).toEqual([]);
  });
});
