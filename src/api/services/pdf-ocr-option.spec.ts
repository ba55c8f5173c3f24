import { ValidationFailedError } from '../http/api-errors';
import { optionsFromFields, optionsFromJson } from './format-options';

describe('PDF use_ocr option over HTTP', () => {
  it('accepts "force" and "auto" besides true/false, from multipart fields and JSON', () => {
    expect(optionsFromFields('pdf', { use_ocr: 'force' })).toEqual({ use_ocr: 'force' });
    expect(optionsFromFields('pdf', { use_ocr: 'auto' })).toEqual({ use_ocr: 'auto' });
    expect(optionsFromFields('pdf', { use_ocr: 'true' })).toEqual({ use_ocr: true });
    expect(optionsFromJson('pdf', '{"use_ocr":"force","pages":"1"}')).toEqual({
      use_ocr: 'force',
      pages: [1],
    });
    expect(optionsFromJson('pdf', { use_ocr: false })).toEqual({ use_ocr: false });
  });

  it('refuses other values with a 400 naming the field', () => {
    expect(() => optionsFromFields('pdf', { use_ocr: 'always' })).toThrow(ValidationFailedError);
    expect(() => optionsFromJson('pdf', { use_ocr: 1 })).toThrow(
      'Field "use_ocr" must be "true", "false", "auto" or "force"',
    );
  });
});
