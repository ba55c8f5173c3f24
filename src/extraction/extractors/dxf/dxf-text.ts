/** Plain text from TEXT / MTEXT / ATTRIB strings: control codes, MTEXT formatting, special characters. */

const SPECIAL: Record<string, string> = { c: 'Ø', d: '°', p: '±' };

/** %%c, %%d, %%p, %%nnn, %%% and the %%u/%%o/%%k toggles (removed). */
function replacePercentCodes(s: string): string {
  if (!s.includes('%%')) return s;
  return s.replace(/%%(\d{3}|[cdpuokCDPUOK%])/g, (_m, code: string) => {
    if (/^\d{3}$/.test(code)) return String.fromCharCode(Number(code));
    if (code === '%') return '%';
    return SPECIAL[code.toLowerCase()] ?? '';
  });
}

/** \U+XXXX escapes (used by every DXF version for characters outside the code page). */
function replaceUnicodeEscapes(s: string): string {
  if (!s.includes('\\U+') && !s.includes('\\u+')) return s;
  return s.replace(/\\[Uu]\+([0-9A-Fa-f]{4})/g, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

/** Plain text of a TEXT or ATTRIB value. */
export function plainText(raw: string): string {
  return replacePercentCodes(replaceUnicodeEscapes(raw));
}

/**
 * Plain text of an MTEXT value: \P → newline, \~ → space, stacked fractions \Sa^b; → a/b, formatting
 * codes (\f…; \H…; \C…; \L \O \K …) and grouping braces removed, escaped \\ \{ \} kept literally.
 */
export function plainMText(raw: string): string {
  const s = replaceUnicodeEscapes(raw);
  let out = '';
  let i = 0;
  const n = s.length;
  while (i < n) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < n) {
      const c = s[i + 1];
      i += 2;
      switch (c) {
        case 'P':
        case 'N':
        case 'X':
          out += '\n';
          break;
        case '~':
          out += ' ';
          break;
        case '\\':
        case '{':
        case '}':
          out += c;
          break;
        case 'S': {
          const end = s.indexOf(';', i);
          const body = end < 0 ? s.slice(i) : s.slice(i, end);
          i = end < 0 ? n : end + 1;
          out += body.replace(/\^ ?|#/, '/');
          break;
        }
        case 'f':
        case 'F':
        case 'H':
        case 'C':
        case 'c':
        case 'T':
        case 'Q':
        case 'W':
        case 'A':
        case 'p': {
          // Parameterised code: skip to the terminating semicolon.
          const end = s.indexOf(';', i);
          i = end < 0 ? n : end + 1;
          break;
        }
        case 'L':
        case 'l':
        case 'O':
        case 'o':
        case 'K':
        case 'k':
          break;
        default:
          // Unknown escape: keep the character.
          out += c;
      }
      continue;
    }
    if (ch === '{' || ch === '}') {
      i++;
      continue;
    }
    if (ch === '^' && i + 1 < n) {
      const c = s[i + 1];
      if (c === 'I') out += '\t';
      else if (c === 'J') out += '\n';
      else if (c === ' ') out += '^';
      else if (c !== 'M') out += ch + c;
      i += 2;
      continue;
    }
    out += ch;
    i++;
  }
  return replacePercentCodes(out);
}

export interface Tolerance {
  plus: number | null;
  minus: number | null;
}

const UNSIGNED = '(?:\\d+(?:[.,]\\d*)?|[.,]\\d+)';
const NUM = `[+-]?${UNSIGNED}`;

function toNumber(s: string): number | null {
  const n = Number(s.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

/**
 * Tolerances written in a dimension's text override (group 1). Deviations are signed: "±0.1" gives
 * plus 0.1 / minus -0.1; "\S+0.1^-0.2;" gives +0.1 / -0.2; "+0.1/-0.05" gives +0.1 / -0.05.
 */
export function parseTolerance(raw: string | null): Tolerance {
  const none = { plus: null, minus: null };
  if (!raw) return none;
  const stacked = new RegExp(`\\\\S\\s*(${NUM})\\s*[\\^/#]\\s*(${NUM})\\s*;`).exec(raw);
  if (stacked) return { plus: toNumber(stacked[1]), minus: toNumber(stacked[2]) };
  const text = plainText(raw);
  const sym = new RegExp(`(?:±|\\+/-|\\+-)\\s*(${NUM})`).exec(text);
  if (sym) {
    const v = toNumber(sym[1]);
    return v === null ? none : { plus: Math.abs(v), minus: -Math.abs(v) };
  }
  const pair = new RegExp(`(?:^|[\\s>)])(\\+${UNSIGNED})\\s*[/ ]\\s*(-${UNSIGNED}|0(?:[.,]0*)?)`);
  const m = pair.exec(text);
  if (m) return { plus: toNumber(m[1]), minus: toNumber(m[2]) };
  return none;
}
