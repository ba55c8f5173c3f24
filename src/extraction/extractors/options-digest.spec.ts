import { forcesReextract, normaliseOptions, optionsDigest } from './options-digest';

describe('options digest', () => {
  it('is the same for absent options and their defaults written out, in any key order', () => {
    expect(optionsDigest('dxf', {})).toBe(optionsDigest('dxf', { extract_text: true }));
    expect(optionsDigest('dxf', { max_entities: 10, extract_blocks: false })).toBe(
      optionsDigest('dxf', { extract_blocks: false, max_entities: 10 }),
    );
    expect(optionsDigest('dxf', null)).toBe(optionsDigest('dxf', undefined));
  });

  it('differs when an option changes what the extractor does', () => {
    expect(optionsDigest('dxf', { extract_entities: true })).not.toBe(optionsDigest('dxf', {}));
    expect(optionsDigest('pdf', { pages: [1, 2] })).not.toBe(optionsDigest('pdf', { pages: [2] }));
    // Same options, another format: another extractor, another request.
    expect(optionsDigest('ifc', {})).not.toBe(optionsDigest('step', {}));
  });

  it('leaves force_reextract out: it steers the service, not the extractor', () => {
    expect(optionsDigest('bom', { force_reextract: true })).toBe(optionsDigest('bom', {}));
    expect(normaliseOptions('bom', { force_reextract: true, flatten: true })).toEqual({
      aggregate: false,
      flatten: true,
      include_inducted: true,
      include_level_prefix: true,
      include_parent_reference: true,
      include_path: true,
    });
    expect(Object.keys(normaliseOptions('pdf', { pages: [3] }))).toEqual([
      'extract_dimensions',
      'extract_tables',
      'extract_text',
      'ocr_language',
      'pages',
      'use_ocr',
    ]);
  });

  it('reads force_reextract as sent over JSON or multipart', () => {
    expect(forcesReextract({ force_reextract: true })).toBe(true);
    expect(forcesReextract({ force_reextract: 'true' })).toBe(true);
    expect(forcesReextract({ force_reextract: false })).toBe(false);
    expect(forcesReextract({})).toBe(false);
    expect(forcesReextract(null)).toBe(false);
  });
});
