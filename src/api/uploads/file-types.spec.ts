import { dxfTextWithLineEnds } from '../../../test/fixtures/dxf/dxf-writer';
import { signatureProblem } from './file-types';

describe('signatureProblem for .dxf', () => {
  const spec = { entities: [] };

  it.each(['\r\n', '\r'] as const)('accepts a DXF whose lines end with %j', (eol) => {
    const head = Buffer.from(dxfTextWithLineEnds(spec, eol).slice(0, 1024), 'latin1');
    expect(signatureProblem('.dxf', head)).toBeNull();
  });

  it('still refuses text that does not start with a group code', () => {
    expect(signatureProblem('.dxf', Buffer.from('SECTION\rHEADER\r'))).toBe(
      'a DXF file must start with a group code (0 SECTION)',
    );
  });
});
