import { PDFDocument, StandardFonts } from 'pdf-lib';
import { crossReferenceWarning } from './xref-check';

async function smallPdf(useObjectStreams: boolean): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([200, 200]).drawText('XREF CHECK', { x: 20, y: 100, size: 12, font });
  return Buffer.from(await doc.save({ useObjectStreams }));
}

/** Rewrites the offset of the table entry of object `num` (classic table, one subsection). */
function moveEntry(pdf: Buffer, num: number, by: number): Buffer {
  const text = pdf.toString('latin1');
  const table = text.lastIndexOf('\nxref');
  const firstEntry = text.indexOf('0000000000 65535 f', table);
  const at = firstEntry + 20 * num;
  const offset = Number(text.slice(at, at + 10)) + by;
  return Buffer.from(
    text.slice(0, at) + String(offset).padStart(10, '0') + text.slice(at + 10),
    'latin1',
  );
}

describe('cross-reference check', () => {
  it('accepts intact classic tables and cross-reference streams', async () => {
    expect(crossReferenceWarning(await smallPdf(false))).toBeNull();
    expect(crossReferenceWarning(await smallPdf(true))).toBeNull();
  });

  it('counts table entries that point to the wrong object', async () => {
    const damaged = moveEntry(moveEntry(await smallPdf(false), 1, 7), 2, -3);
    expect(crossReferenceWarning(damaged)).toMatch(
      /^The cross-reference table is damaged \(2 of \d+ entries point to the wrong place\); the PDF was read by scanning the file for its objects/,
    );
  });

  it('reports a startxref that points nowhere or past the end', async () => {
    const pdf = (await smallPdf(true)).toString('latin1');
    const withOffset = (n: number): Buffer =>
      Buffer.from(pdf.replace(/startxref\s+\d+/, `startxref ${n}`), 'latin1');
    expect(crossReferenceWarning(withOffset(9))).toContain('(no cross-reference table at byte 9)');
    expect(crossReferenceWarning(withOffset(10_000_000))).toContain(
      '(startxref 10000000 is past the end of the file)',
    );
    expect(
      crossReferenceWarning(Buffer.from(pdf.replace(/startxref/, 'startxrex'), 'latin1')),
    ).toContain('(no startxref)');
  });
});
