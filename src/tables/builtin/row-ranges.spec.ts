import { rangesTest, toRanges } from './row-ranges';

describe('row ranges', () => {
  it('writes sorted distinct indices as the fewest ranges', () => {
    expect(toRanges([])).toBe('{}');
    expect(toRanges([5, 0, 1, 2, 2])).toBe('{[0,3),[5,6)}');
    expect(toRanges(Array.from({ length: 100_000 }, (_, i) => i))).toBe('{[0,100000)}');
  });

  it('reads what PostgreSQL prints back, ends excluded', () => {
    const held = rangesTest('{[0,3),[5,6)}');
    expect([0, 1, 2, 3, 4, 5, 6].map(held)).toEqual([true, true, true, false, false, true, false]);
    expect(rangesTest('{}')(0)).toBe(false);
  });

  it('round-trips any set of indices', () => {
    const indices = [0, 2, 3, 4, 9, 10, 57];
    const held = rangesTest(toRanges(indices));
    for (let i = 0; i < 60; i += 1) expect(held(i)).toBe(indices.includes(i));
  });
});
