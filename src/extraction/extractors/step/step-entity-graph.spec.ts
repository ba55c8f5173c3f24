import { parseParameters } from './iso10303-syntax';
import { measureOf, numbersAt, refAt, refsAt, StepEntityGraph, textAt } from './step-entity-graph';

describe('StepEntityGraph', () => {
  const graph = new StepEntityGraph(new Set(['PRODUCT', 'MEASURE_REPRESENTATION_ITEM']));
  graph.keep(7, 'PRODUCT', "'B-1','Bolt','',(#2)");
  graph.keep(3, 'PRODUCT', "'N-1','Nut','',(#2)");
  graph.keepComplex(9, [
    { type: 'MEASURE_REPRESENTATION_ITEM', args: '' },
    { type: 'MEASURE_WITH_UNIT', args: 'VOLUME_MEASURE(12.5),#4' },
    { type: 'REPRESENTATION_ITEM', args: "'volume measure'" },
  ]);

  it('keeps only the wanted types and parses a record on first use', () => {
    expect(graph.wants('PRODUCT')).toBe(true);
    expect(graph.wants('CARTESIAN_POINT')).toBe(false);
    const bolt = graph.get(7);
    expect(bolt).toEqual({
      id: 7,
      type: 'PRODUCT',
      args: [
        { kind: 'string', value: 'B-1' },
        { kind: 'string', value: 'Bolt' },
        { kind: 'string', value: '' },
        { kind: 'list', items: [{ kind: 'ref', value: 2 }] },
      ],
      parts: undefined,
    });
    expect(graph.get(7)).toBe(bolt); // parsed once
    expect(graph.get(8)).toBeNull();
    expect(graph.get(null)).toBeNull();
  });

  it('lists records of a type in file (id) order, complex instances by any part', () => {
    expect(graph.ofType('PRODUCT').map((r) => textAt(r.args, 1))).toEqual(['Nut', 'Bolt']);
    const [measure] = graph.ofType('MEASURE_WITH_UNIT');
    expect(measure.id).toBe(9);
    expect(measure.parts?.map((p) => p.type)).toEqual([
      'MEASURE_REPRESENTATION_ITEM',
      'MEASURE_WITH_UNIT',
      'REPRESENTATION_ITEM',
    ]);
    expect(measureOf(measure.parts?.[1].args[0])).toEqual({ type: 'VOLUME_MEASURE', value: 12.5 });
  });

  it('names the ids it does not hold', () => {
    expect(graph.missing([3, 4, 7, 11])).toEqual([4, 11]);
  });
});

describe('parameter helpers', () => {
  const args = parseParameters("#5,(#6,#7),'text',(1.,2.5,-3.E1),AREA_MEASURE(4.),2.");

  it('reads references, lists of references, strings, numbers and measures', () => {
    expect(refAt(args, 0)).toBe(5);
    expect(refAt(args, 2)).toBeNull();
    expect(refsAt(args, 1)).toEqual([6, 7]);
    expect(refsAt(args, 0)).toEqual([5]);
    expect(refsAt(args, 9)).toEqual([]);
    expect(textAt(args, 2)).toBe('text');
    expect(textAt(args, 0)).toBe('');
    expect(numbersAt(args, 3)).toEqual([1, 2.5, -30]);
    expect(measureOf(args[4])).toEqual({ type: 'AREA_MEASURE', value: 4 });
    expect(measureOf(args[5])).toEqual({ type: '', value: 2 });
    expect(measureOf(args[2])).toBeNull();
  });
});
