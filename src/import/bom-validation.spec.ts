import { bomItemProblem, validateBomItems } from './bom-validation';

describe('BOM item validation (import_mode validated_only)', () => {
  it('keeps items with a part and a positive quantity', () => {
    expect(bomItemProblem({ part_number: 'A-1', quantity: 2 })).toBeNull();
    expect(bomItemProblem({ description: 'Bolt', quantity: '1,5' })).toBeNull();
  });

  it('names the field that makes an item invalid', () => {
    expect(bomItemProblem({ part_number: ' ', description: null, quantity: 1 })).toEqual({
      field: 'part_number',
      message: 'The item has neither a part number nor a description',
    });
    expect(bomItemProblem({ part_number: 'A', quantity: 0 })?.field).toBe('quantity');
    expect(bomItemProblem({ part_number: 'A', quantity: 'some' })?.message).toBe(
      '"some" is not a positive quantity',
    );
    expect(bomItemProblem({ part_number: 'A' })?.message).toBe('null is not a positive quantity');
  });

  it('splits items into indices to import and row errors', () => {
    const items = [
      { part_number: 'A', quantity: 1 },
      { part_number: 'B', quantity: -1 },
    ];
    expect(validateBomItems(items)).toEqual({
      valid: [0],
      errors: [
        {
          row_index: 1,
          row: items[1],
          field: 'quantity',
          message: '-1 is not a positive quantity',
        },
      ],
    });
  });
});
