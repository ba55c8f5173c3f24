/**
 * The options accepted over HTTP (format-options.ts) against the extractor docs: every option a
 * doc documents must be accepted, and every accepted option must be documented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTRACTION_FORMATS, ExtractionFormat } from '../../extraction/entities/job-enums';
import { ValidationFailedError } from '../http/api-errors';
import { optionSpecs, optionsFromFields, optionsFromJson } from './format-options';

const DOCS = join(__dirname, '../../../docs');

/** Each format's doc, and for the shared IFC/STEP doc the part that is about the format. */
function docOf(format: ExtractionFormat): string {
  const file = {
    pdf: 'pdf-extractor.md',
    dxf: 'dxf-extractor.md',
    ifc: 'ifc-step-extractors.md',
    step: 'ifc-step-extractors.md',
    werk24: 'werk24.md',
    bom: 'bom-extractor.md',
  }[format];
  const text = readFileSync(join(DOCS, file), 'utf8');
  if (format !== 'ifc' && format !== 'step') return text;
  const sections = text.split(/^(?=## )/m);
  return sections.filter((s) => s.startsWith(`## ${format.toUpperCase()}`)).join('\n');
}

/**
 * Options a doc documents: the first backticked name of each table row under a heading about
 * options (or Werk24's "Asks sent"), headings that are an option name, and the names in an
 * "- **Options**" bullet (IFC, STEP).
 */
function documentedOptions(doc: string): string[] {
  const names = new Set<string>();
  let inOptions = false;
  let inBullet = false;
  for (const line of doc.split('\n')) {
    const heading = /^#{2,4} (.*)$/.exec(line);
    if (heading) {
      inOptions = /options|asks/i.test(heading[1]);
      if (/^[a-z]+(_[a-z]+)+$/.test(heading[1].trim())) names.add(heading[1].trim());
      inBullet = false;
      continue;
    }
    const row = /^\| `([a-z_]+)`/.exec(line);
    if (inOptions && row) names.add(row[1]);
    if (/^- \*\*Options\*\*/.test(line)) inBullet = true;
    else if (/^- |^$/.test(line)) inBullet = false;
    // Result fields named in parentheses, e.g. "`count_shapes` (`shape_counts`)", are not options.
    const outsideParentheses = line.replace(/\([^)]*\)/g, '');
    if (inBullet)
      for (const m of outsideParentheses.matchAll(/`([a-z]+(?:_[a-z]+)+)`/g)) names.add(m[1]);
  }
  return [...names];
}

describe('options accepted over HTTP', () => {
  const specs = optionSpecs();

  it.each(EXTRACTION_FORMATS)('%s: every documented option is accepted', (format) => {
    const documented = documentedOptions(docOf(format));
    expect(documented.length).toBeGreaterThan(0);
    expect(documented.filter((name) => !(name in specs[format]))).toEqual([]);
  });

  it.each(EXTRACTION_FORMATS)('%s: every accepted option is documented', (format) => {
    const doc = docOf(format);
    expect(Object.keys(specs[format]).filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });

  it('reads DXF max_entities from multipart fields and JSON, within 0 … 100 000', () => {
    expect(optionsFromFields('dxf', { max_entities: '25' })).toEqual({ max_entities: 25 });
    expect(optionsFromJson('dxf', { max_entities: 0, extract_entities: true })).toEqual({
      max_entities: 0,
      extract_entities: true,
    });
    expect(() => optionsFromJson('dxf', '{"max_entities":100001}')).toThrow(
      'Field "max_entities" must be a whole number from 0 to 100000',
    );
    expect(() => optionsFromFields('dxf', { max_entities: '2.5' })).toThrow(ValidationFailedError);
  });
});
