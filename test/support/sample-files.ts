/** Small valid files of every format, made in the test run (nothing downloaded, nothing committed). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { writeIfc4Sample } from '../fixtures/ifc/sample-building';
import { writeBoxStep } from '../fixtures/step/step-fixtures';

export const SAMPLE_DXF = [
  '0',
  'SECTION',
  '2',
  'HEADER',
  '9',
  '$ACADVER',
  '1',
  'AC1024',
  '9',
  '$INSUNITS',
  '70',
  '4',
  '0',
  'ENDSEC',
  '0',
  'SECTION',
  '2',
  'ENTITIES',
  '0',
  'LINE',
  '8',
  'OUTLINE',
  '10',
  '0',
  '20',
  '0',
  '30',
  '0',
  '11',
  '100',
  '21',
  '0',
  '31',
  '0',
  '0',
  'CIRCLE',
  '8',
  'OUTLINE',
  '10',
  '50',
  '20',
  '50',
  '30',
  '0',
  '40',
  '10',
  '0',
  'TEXT',
  '8',
  'NOTES',
  '10',
  '5',
  '20',
  '5',
  '30',
  '0',
  '40',
  '2.5',
  '1',
  'PART A-100',
  '0',
  'ENDSEC',
  '0',
  'EOF',
  '',
].join('\n');

/** Cut inside the ENTITIES section: the DXF extractor answers success: false. */
export const TRUNCATED_DXF = '0\nSECTION\n2\nENTITIES\n0\nLINE\n8\n0\n10\n';

export async function samplePdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('BRACKET ASSEMBLY', { x: 50, y: 780, size: 20, font });
  page.drawText('Hole diameter Ø12 ±0.1 mm', { x: 50, y: 740, size: 11, font });
  return Buffer.from(await doc.save());
}

const dir = () => mkdtempSync(join(tmpdir(), 'samples-'));
export const sampleIfc = (): Buffer => readFileSync(writeIfc4Sample(dir()));
export const sampleStep = (): Buffer => readFileSync(writeBoxStep(dir()));
export const SAMPLE_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000',
  'hex',
);
