/**
 * DXF text encoding. R2007 (AC1021) and later files are UTF-8. Older files are written in the code
 * page named by $DWGCODEPAGE (ANSI_1252 → windows-1252, …). Many tools nevertheless write UTF-8 into
 * old-version files, so a string whose bytes are valid multi-byte UTF-8 is read as UTF-8 (real
 * single-byte code-page text practically never forms valid UTF-8 sequences); the extractor warns once.
 */

import { TextDecoder } from 'node:util';

export type TextDecoding =
  { kind: 'utf8' } | { kind: 'codepage'; label: string; decoder: TextDecoder; sawUtf8: boolean };

/** $DWGCODEPAGE names → WHATWG encoding labels understood by TextDecoder. */
const CODE_PAGES: Record<string, string> = {
  ANSI_874: 'windows-874',
  ANSI_932: 'shift_jis',
  ANSI_936: 'gbk',
  ANSI_949: 'euc-kr',
  ANSI_950: 'big5',
  ANSI_1250: 'windows-1250',
  ANSI_1251: 'windows-1251',
  ANSI_1252: 'windows-1252',
  ANSI_1253: 'windows-1253',
  ANSI_1254: 'windows-1254',
  ANSI_1255: 'windows-1255',
  ANSI_1256: 'windows-1256',
  ANSI_1257: 'windows-1257',
  ANSI_1258: 'windows-1258',
  DOS866: 'ibm866',
  ISO8859_1: 'iso-8859-1',
  ISO8859_2: 'iso-8859-2',
  ISO8859_3: 'iso-8859-3',
  ISO8859_4: 'iso-8859-4',
  ISO8859_5: 'iso-8859-5',
  ISO8859_6: 'iso-8859-6',
  ISO8859_7: 'iso-8859-7',
  ISO8859_8: 'iso-8859-8',
  ISO8859_9: 'windows-1254',
  UTF8: 'utf-8',
};

export const DEFAULT_CODE_PAGE_LABEL = 'windows-1252';

/** Whether a version string ($ACADVER) stores text as UTF-8 (AC1021 = R2007 and later). */
export function isUtf8Version(version: string | null): boolean {
  if (!version) return false;
  const m = /^AC(\d{4})$/.exec(version);
  return m !== null && Number(m[1]) >= 1021;
}

/** Resolves a $DWGCODEPAGE value; unknown names fall back to windows-1252 (`known: false`). */
export function resolveCodePage(codePage: string | null): { label: string; known: boolean } {
  const key = (codePage ?? '').trim().toUpperCase();
  const label = CODE_PAGES[key];
  if (label) return { label, known: true };
  return { label: DEFAULT_CODE_PAGE_LABEL, known: key === '' };
}

export function codePageDecoding(label: string): TextDecoding {
  if (label === 'utf-8') return { kind: 'utf8' };
  return { kind: 'codepage', label, decoder: new TextDecoder(label), sawUtf8: false };
}

export function decodeBytes(b: Buffer, s: number, e: number, decoding: TextDecoding): string {
  let high = false;
  for (let i = s; i < e; i++) {
    if (b[i] >= 0x80) {
      high = true;
      break;
    }
  }
  if (!high) return b.toString('latin1', s, e);
  if (decoding.kind === 'utf8') return b.toString('utf8', s, e);
  if (isValidUtf8(b, s, e)) {
    decoding.sawUtf8 = true;
    return b.toString('utf8', s, e);
  }
  return decoding.decoder.decode(b.subarray(s, e));
}

/** Strict UTF-8 validation (at least one multi-byte sequence is assumed present). */
function isValidUtf8(b: Buffer, s: number, e: number): boolean {
  let i = s;
  while (i < e) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) n = 2;
    else if (c >= 0xf0 && c <= 0xf4) n = 3;
    else return false;
    if (i + n >= e) return false;
    for (let k = 1; k <= n; k++) {
      if ((b[i + k] & 0xc0) !== 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}
