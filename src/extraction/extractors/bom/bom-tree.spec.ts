import { BomItem } from '../cad-result';
import { buildBom, flattenBom } from './bom-tree';
import { parseLevel } from './bom-rows';
import { parseNumberPrefix, parseQuantity } from './quantity';

function item(
  item_id: string,
  part_number: string | null,
  quantity: number,
  parent_id: string | null,
): BomItem {
  return {
    item_id,
    part_number,
    description: null,
    quantity,
    material: null,
    revision: null,
    parent_id,
    level: 0,
  };
}

describe('buildBom', () => {
  it('derives levels from parent ids, as a STEP assembly tree gives them', () => {
    const bom = buildBom([
      item('bolt', 'B-1', 4, 'plate'),
      item('root', 'ASM', 1, null),
      item('plate', 'PL-1', 2, 'root'),
    ]);
    expect(bom.items.map((i) => [i.item_id, i.level, i.parent_id])).toEqual([
      ['bolt', 3, 'plate'],
      ['root', 1, null],
      ['plate', 2, 'root'],
    ]);
    expect(bom.hierarchy_level).toBe(3);
    expect(bom.is_flat).toBe(false);
    expect(bom.total_items).toBe(3);
    expect(bom.headers).toEqual([
      'item_id',
      'part_number',
      'description',
      'quantity',
      'material',
      'revision',
      'parent_id',
      'level',
    ]);
  });

  it('turns unknown parents into roots and cuts cycles', () => {
    const bom = buildBom([
      item('a', 'A', 1, 'b'),
      item('b', 'B', 1, 'a'),
      item('c', 'C', 1, 'missing'),
      item('d', 'D', 1, 'd'),
    ]);
    expect(bom.items.map((i) => [i.item_id, i.parent_id, i.level])).toEqual([
      ['a', null, 1],
      ['b', 'a', 2],
      ['c', null, 1],
      ['d', null, 1],
    ]);
  });

  it('keeps extra fields (e.g. DXF block attributes) and lists them as headers', () => {
    const bom = buildBom([{ ...item('1', 'P-101', 2, null), block: 'PART' }]);
    expect(bom.headers.at(-1)).toBe('block');
    expect(bom.items[0].block).toBe('PART');
  });
});

describe('flattenBom', () => {
  const tree = buildBom([
    item('r', 'R', 2, null),
    item('s', 'S', 3, 'r'),
    item('x', null, 0.1, 's'),
    item('p', 'P', 5, 's'),
    item('p2', 'P', 1, 'r'),
  ]);

  it('rolls quantities up the tree without float noise and names unnamed items by id', () => {
    const flat = flattenBom(tree);
    expect(flat.items.map((i) => [i.item_id, i.inducted, i.path, i.parent_reference])).toEqual([
      ['r', 2, 'R', null],
      ['s', 6, 'R > S', 'R'],
      ['x', 0.6, 'R > S > x', 'S'],
      ['p', 30, 'R > S > P', 'S'],
      ['p2', 2, 'R > P', 'R'],
    ]);
    expect(tree.items[0].path).toBeUndefined();
  });

  it('aggregates by part number and keeps items without one apart', () => {
    const flat = flattenBom(tree, { aggregate: true, include_inducted: false });
    expect(flat.items.map((i) => [i.item_id, i.quantity, i.occurrences])).toEqual([
      ['R', 2, 1],
      ['S', 6, 1],
      ['x', 0.6, 1],
      ['P', 32, 2],
    ]);
    expect(flat.headers).toEqual([
      'item_id',
      'part_number',
      'description',
      'quantity',
      'material',
      'revision',
      'parent_id',
      'level',
      'occurrences',
    ]);
  });
});

describe('quantities and levels', () => {
  it.each([
    [3, 3],
    ['2 pcs', 2],
    ['1,5', 1.5],
    ['0,25 kg', 0.25],
    ['1.250,75', 1250.75],
    ['1,250.75', 1250.75],
    ['4x', 4],
    ['-2', -2],
  ])('reads %p as %p', (cell, expected) => {
    expect(parseQuantity(cell)).toEqual({ value: expected, problem: null });
  });

  it('assumes 1 for empty and unreadable cells', () => {
    expect(parseQuantity(null)).toEqual({ value: 1, problem: 'empty' });
    expect(parseQuantity('  ')).toEqual({ value: 1, problem: 'empty' });
    expect(parseQuantity('n/a')).toEqual({ value: 1, problem: 'unreadable' });
    expect(parseNumberPrefix('1.2.3')).toBe(123);
  });

  it.each([
    [2, 2],
    ['3', 3],
    ['1.2.1', 3],
    ['..2', 2],
    ['...', 3],
    ['x', null],
  ])('reads level %p as %p', (cell, expected) => {
    expect(parseLevel(cell)).toBe(expected);
  });
});
