/** Tables that are not bills of materials fail with NOT_A_BOM; borderline parts lists carry a confidence. */
import { BomFixtures } from '../../../../test/fixtures/bom/bom-fixtures';
import { ExtractionError } from '../extraction-error';
import { bomExtractor } from './bom.extractor';

let fixtures: BomFixtures;
beforeAll(async () => {
  fixtures = await BomFixtures.create();
});
afterAll(async () => {
  await fixtures.dispose();
});

const run = (filePath: string) =>
  bomExtractor.extract({
    filePath,
    filename: filePath.split('/').pop() as string,
    options: {},
    onProgress: () => undefined,
    signal: new AbortController().signal,
  });

async function rejection(promise: Promise<unknown>): Promise<ExtractionError> {
  const error = await promise.then(
    () => new Error('expected NOT_A_BOM, got a result'),
    (e: unknown) => e,
  );
  expect(ExtractionError.isExtractionError(error)).toBe(true);
  return error as ExtractionError;
}

describe('BOM plausibility', () => {
  it('refuses a 96-row colour table instead of a BOM with quantities assumed', async () => {
    const error = await rejection(run(await fixtures.colourTableCsv()));
    expect(error.code).toBe('NOT_A_BOM');
    expect(error.permanent).toBe(true);
    expect(error.message).toContain(
      'does not look like a bill of materials: it has neither a part-number column nor a quantity column',
    );
    expect(error.message).toContain('No → item_id, Name → description');
  });

  it('refuses an employee list', async () => {
    const error = await rejection(run(await fixtures.employeeListCsv()));
    expect(error.code).toBe('NOT_A_BOM');
  });

  it('refuses a description + "Amount" table whose amounts are prices', async () => {
    const error = await rejection(run(await fixtures.priceListCsv()));
    expect(error.code).toBe('NOT_A_BOM');
    expect(error.message).toContain('quantity column holds numbers in only 0 of 3 rows');
  });

  it('accepts part numbers without a quantity column at confidence 0.6, with a warning', async () => {
    const result = await run(await fixtures.partsListWithoutQuantityCsv());
    expect(result.success).toBe(true);
    expect(result.metadata.bom_confidence).toBe(0.6);
    expect(result.warnings).toContain('No quantity column: quantity 1 assumed for every item');
    expect(result.bom.items.map((i) => [i.part_number, i.quantity])).toEqual([
      ['P-1', 1],
      ['P-2', 1],
    ]);
  });

  it('gives 1 to a BOM with part numbers and quantities, 0.9 without part numbers', async () => {
    const full = await run(await fixtures.parentCsv());
    expect(full.metadata.bom_confidence).toBe(1);
    const described = await run(await fixtures.descriptionQuantityCsv());
    expect(described.metadata.bom_confidence).toBe(0.9);
    expect(described.bom.items.map((i) => i.quantity)).toEqual([8, 8, 8]);
  });
});
