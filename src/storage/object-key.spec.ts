import {
  MAX_FILENAME_LENGTH,
  assertValidKey,
  buildObjectKey,
  ownerStoragePrefix,
  resultObjectKey,
  keyFromStorageUrl,
  keyProblem,
  ownerSegment,
  sanitizeFilename,
} from './object-key';
import { InvalidStorageKeyError, StorageKeyOutsideError } from './storage.errors';

const JOB_ID = '0b7c2f8e-3f57-4a52-9d43-0e6c1f4f1a10';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('sanitizeFilename', () => {
  it.each([
    ['drawing.pdf', 'drawing.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\config', 'config'],
    ['C:\\Users\\me\\plan v2.dxf', 'plan_v2.dxf'],
    ['/abs/path/model.ifc', 'model.ifc'],
    ['..', 'file'],
    ['.', 'file'],
    ['', 'file'],
    ['dir/', 'file'],
    ['.bashrc', 'bashrc'],
    ['...hidden.step', 'hidden.step'],
    ['a b&c;rm -rf $(x).pdf', 'a_b_c_rm_-rf___x_.pdf'],
    ['name\u0000.pdf', 'name_.pdf'],
    ['new\nline.pdf', 'new_line.pdf'],
  ])('sanitises %j to %j', (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });

  it('folds accented Latin letters to ASCII', () => {
    expect(sanitizeFilename('Überblick_Pläne_é.pdf')).toBe('Uberblick_Plane_e.pdf');
    // Same result whether the input arrives composed (NFC) or decomposed (NFD).
    expect(sanitizeFilename('Überblick.pdf'.normalize('NFD'))).toBe('Uberblick.pdf');
  });

  it('replaces each non-Latin character (not each UTF-16 unit) with one underscore', () => {
    expect(sanitizeFilename('図面-01.pdf')).toBe('__-01.pdf');
    expect(sanitizeFilename('plan😀.pdf')).toBe('plan_.pdf');
    expect(sanitizeFilename('чертёж.dxf')).toBe('______.dxf');
  });

  it('treats compatibility characters that fold to a slash as directory separators', () => {
    // U+FF0F FULLWIDTH SOLIDUS becomes '/' under NFKD.
    expect(sanitizeFilename('..\uFF0F..\uFF0Fetc\uFF0Fpasswd')).toBe('passwd');
  });

  it('cuts very long names to 255 characters and keeps the extension', () => {
    const result = sanitizeFilename(`${'a'.repeat(1000)}.step`);
    expect(result).toHaveLength(MAX_FILENAME_LENGTH);
    expect(result.endsWith('.step')).toBe(true);
    expect(result.startsWith('aaaa')).toBe(true);
  });

  it('cuts a long name whose "extension" is itself huge without keeping it', () => {
    const result = sanitizeFilename(`a.${'b'.repeat(400)}`);
    expect(result).toHaveLength(MAX_FILENAME_LENGTH);
    expect(result.startsWith('a.bbb')).toBe(true);
  });

  it('never returns a name starting with a dot, even after cutting', () => {
    for (const name of ['.', '..', '...', '.x', `.${'y'.repeat(300)}.pdf`, '\uFF0Epdf']) {
      const result = sanitizeFilename(name);
      expect(result.startsWith('.')).toBe(false);
      expect(result.length).toBeGreaterThan(0);
      expect(keyProblem(result)).toBeUndefined();
    }
  });
});

describe('buildObjectKey', () => {
  it('lays keys out as uploads/<owner>/<jobId>/<sanitised name>', () => {
    expect(
      buildObjectKey({ ownerId: 'user-42', jobId: JOB_ID, filename: '../../etc/passwd' }),
    ).toBe(`uploads/user-42/${JOB_ID}/passwd`);
  });

  // An owner whose id names a namespace still owns only uploads/<id>/: results stay out of reach.
  it.each(['results', 'uploads', '..', 'a/b', '_x', 'results/other'])(
    'keeps owner %p inside the uploads namespace, away from every result',
    (ownerId) => {
      const own = ownerStoragePrefix(ownerId);
      expect(own.startsWith('uploads/')).toBe(true);
      expect(own.split('/')).toHaveLength(3);
      const someoneElsesResult = resultObjectKey('bob', JOB_ID, 1);
      expect(someoneElsesResult.startsWith(own)).toBe(false);
      expect(buildObjectKey({ ownerId: 'bob', jobId: JOB_ID, filename: 'x' }).startsWith(own)).toBe(
        false,
      );
    },
  );

  it('puts results under results/<owner>/<jobId>/', () => {
    expect(resultObjectKey('user-42', JOB_ID, 3)).toBe(`results/user-42/${JOB_ID}/result-3.json`);
  });

  it('hashes owner ids that are not plain ids, stably and distinctly', () => {
    const a = ownerSegment('alice@example.com');
    expect(a).toMatch(/^_[0-9a-f]{32}$/);
    expect(ownerSegment('alice@example.com')).toBe(a);
    expect(ownerSegment('../alice')).not.toBe(a);
    expect(buildObjectKey({ ownerId: '../../root', jobId: JOB_ID, filename: 'x.pdf' })).toMatch(
      new RegExp(`^uploads/_[0-9a-f]{32}/${JOB_ID}/x\\.pdf$`),
    );
  });

  it('refuses an empty owner and a job id that is not a plain id', () => {
    expect(() => buildObjectKey({ ownerId: '', jobId: JOB_ID, filename: 'x' })).toThrow(
      InvalidStorageKeyError,
    );
    expect(() => buildObjectKey({ ownerId: 'u1', jobId: '../x', filename: 'x' })).toThrow(
      InvalidStorageKeyError,
    );
  });
});

describe('assertValidKey', () => {
  it.each([
    ['', 'empty'],
    ['../x', '`.` or `..`'],
    ['a/../../x', '`.` or `..`'],
    ['a/./x', '`.` or `..`'],
    ['/etc/passwd', 'absolute'],
    ['a\\b', 'backslash'],
    ['a\u0000b', 'NUL'],
    ['a//b', 'empty segment'],
    ['a/b/', 'empty segment'],
    ['a/.hidden', 'starting with a dot'],
    ['.tmp/x', 'starting with a dot'],
    ['a/%2e%2e/b', 'characters other than'],
    ['a/b c', 'characters other than'],
    ['a/é', 'characters other than'],
    ['x'.repeat(1025), 'longer than 1024'],
  ])('refuses %j (%s)', (key, reason) => {
    expect(() => assertValidKey(key)).toThrow(InvalidStorageKeyError);
    expect(keyProblem(key)).toContain(reason);
  });

  it('accepts the keys buildObjectKey makes', () => {
    expect(assertValidKey(`u1/${JOB_ID}/drawing_v2.pdf`)).toBe(`u1/${JOB_ID}/drawing_v2.pdf`);
  });

  it('carries the stable error code', () => {
    expect(thrownBy(() => assertValidKey('../x'))).toMatchObject({ code: 'STORAGE_INVALID_KEY' });
  });
});

describe('keyFromStorageUrl', () => {
  it('returns the key of a URL with the expected prefix', () => {
    expect(keyFromStorageUrl('s3://bucket/a/b.pdf', 's3://bucket/')).toBe('a/b.pdf');
  });

  it.each([
    's3://other-bucket/a/b.pdf',
    's3://bucket-evil/a/b.pdf',
    'S3://bucket/a/b.pdf',
    'http://bucket/a/b.pdf',
    's3://bucket/../a',
    's3://bucket//etc/passwd',
    's3://bucket/a/%2e%2e/b',
    's3://bucket/',
  ])('refuses %j with STORAGE_OUTSIDE', (url) => {
    expect(() => keyFromStorageUrl(url, 's3://bucket/')).toThrow(StorageKeyOutsideError);
    expect(thrownBy(() => keyFromStorageUrl(url, 's3://bucket/'))).toMatchObject({
      code: 'STORAGE_OUTSIDE',
    });
  });

  it('refuses values that are not strings', () => {
    expect(() => keyFromStorageUrl(undefined, 's3://bucket/')).toThrow(StorageKeyOutsideError);
  });
});
