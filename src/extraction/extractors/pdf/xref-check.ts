/**
 * Checks a PDF's cross-reference data before pdf.js opens it. pdf.js silently rebuilds a damaged
 * cross-reference table by scanning the whole file for "N G obj", which can bring back deleted or
 * superseded objects and lose others: the result gets a warning saying so.
 *
 * Checked: the last `startxref` points at a cross-reference table ("xref") or stream ("N G obj"
 * with /Type /XRef); every in-use entry of a classic table points at its own "N G obj"; the same
 * for the older sections /Prev links to. Entries inside compressed xref streams are not decoded.
 */

/** How far past an offset an "N G obj" header may start (pdf.js skips whitespace there too). */
const HEADER_WINDOW = 64;
const MAX_SECTIONS = 64;

interface Problem {
  /** What is wrong, for the warning. */
  detail: string;
}

function text(buf: Buffer, from: number, length: number): string {
  return buf.toString('latin1', Math.max(0, from), Math.min(buf.length, from + length));
}

/** The object header at an offset: [object number, generation] or null. */
function objectAt(buf: Buffer, offset: number): [number, number] | null {
  const m = /^\s*(\d+)\s+(\d+)\s+obj\b/.exec(text(buf, offset, HEADER_WINDOW));
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/**
 * Reads one classic table section at `offset` ("xref" already found there); counts entries that
 * point elsewhere than their object and returns the /Prev offset of its trailer.
 */
function checkTable(
  buf: Buffer,
  offset: number,
): { bad: number; total: number; prev: number | null } {
  const end = buf.indexOf('trailer', offset, 'latin1');
  if (end < 0) return { bad: 1, total: 1, prev: null };
  const lines = text(buf, offset, end - offset)
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(1); // "xref"
  let bad = 0;
  let total = 0;
  let number = 0;
  for (const line of lines) {
    const head = /^(\d+)\s+(\d+)$/.exec(line);
    if (head) {
      number = Number(head[1]);
      continue;
    }
    const entry = /^(\d{1,10})\s+(\d{1,5})\s+([nf])$/.exec(line);
    if (!entry) {
      bad++;
      total++;
      number++;
      continue;
    }
    if (entry[3] === 'n' && Number(entry[1]) > 0) {
      total++;
      const found = objectAt(buf, Number(entry[1]));
      if (!found || found[0] !== number) bad++;
    }
    number++;
  }
  const prev = /\/Prev\s+(\d+)/.exec(text(buf, end, 4096));
  return { bad, total, prev: prev ? Number(prev[1]) : null };
}

function findProblem(buf: Buffer): Problem | null {
  const at = buf.lastIndexOf('startxref', undefined, 'latin1');
  if (at < 0) return { detail: 'no startxref' };
  const m = /^startxref\s+(\d+)/.exec(text(buf, at, 40));
  if (!m) return { detail: 'startxref has no offset' };
  let offset: number | null = Number(m[1]);
  let bad = 0;
  let total = 0;
  const seen = new Set<number>();
  for (let k = 0; offset !== null && k < MAX_SECTIONS && !seen.has(offset); k++) {
    seen.add(offset);
    if (offset >= buf.length) return { detail: `startxref ${offset} is past the end of the file` };
    const head = text(buf, offset, HEADER_WINDOW);
    if (/^\s*xref\b/.test(head)) {
      const section = checkTable(buf, offset + head.indexOf('xref'));
      bad += section.bad;
      total += section.total;
      offset = section.prev;
    } else if (objectAt(buf, offset)) {
      // A cross-reference stream: its dictionary must say /Type /XRef.
      if (!/\/Type\s*\/XRef\b/.test(text(buf, offset, 2048))) {
        return { detail: `byte ${offset} holds an object that is not a cross-reference stream` };
      }
      const prev = /\/Prev\s+(\d+)/.exec(text(buf, offset, 2048));
      offset = prev ? Number(prev[1]) : null;
    } else {
      return { detail: `no cross-reference table at byte ${offset}` };
    }
  }
  if (bad > 0) return { detail: `${bad} of ${total} entries point to the wrong place` };
  return null;
}

/** A warning when the cross-reference data is damaged, else null. */
export function crossReferenceWarning(data: Uint8Array): string | null {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const problem = findProblem(buf);
  return problem
    ? `The cross-reference table is damaged (${problem.detail}); the PDF was read by scanning ` +
        'the file for its objects, so content may be missing or come from an older revision'
    : null;
}
