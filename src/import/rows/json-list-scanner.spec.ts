import { JsonListScanner } from './json-list-scanner';

/** Feeds `text` in chunks of `size` bytes and collects what the scanner finds. */
function scan(text: string, path: string[], size: number): unknown[] {
  const scanner = new JsonListScanner(path);
  const bytes = Buffer.from(text, 'utf8');
  const found: unknown[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    found.push(...scanner.push(bytes.subarray(start, start + size)));
  }
  return found;
}

describe(JsonListScanner.name, () => {
  const result = {
    source_file: 'a "quoted" [file].csv',
    bom: {
      headers: [{ items: [{ not: 'these' }] }],
      note: 'items: [{"no": 1}] \\ {',
      items: [
        { part_number: 'P-1', nested: { a: [1, 2, { b: '}' }] }, text: 'Ø 12 – “mm”' },
        42,
        'skip me',
        { part_number: 'P-\\"2\\"', empty: {} },
        null,
        { part_number: 'P-3' },
      ],
    },
    items: [{ wrong: 'level' }],
  };
  const text = JSON.stringify(result, null, 1);
  const expected = (result.bom.items as unknown[]).filter(
    (v) => typeof v === 'object' && v !== null,
  );

  it.each([1, 2, 3, 7, 64, 100_000])(
    'finds the objects of the list at the path, whatever the chunk size (%i bytes)',
    (size) => {
      expect(scan(text, ['bom', 'items'], size)).toEqual(expected);
    },
  );

  it('follows the path from the root only, and a one-step path', () => {
    expect(scan(text, ['items'], 5)).toEqual([{ wrong: 'level' }]);
    expect(scan(text, ['headers'], 5)).toEqual([]);
    expect(scan(JSON.stringify({ elements: [] }), ['elements'], 3)).toEqual([]);
  });

  it('finds nothing where the path is missing or not a list', () => {
    expect(scan(JSON.stringify({ bom: { items: { a: 1 } } }), ['bom', 'items'], 4)).toEqual([]);
    expect(scan(JSON.stringify({ bom: null }), ['bom', 'items'], 4)).toEqual([]);
  });

  it('counts without parsing', () => {
    const scanner = new JsonListScanner(['bom', 'items'], false);
    expect(scanner.push(Buffer.from(text))).toHaveLength(expected.length);
  });
});
