/**
 * The outline of a TEXT, ATTRIB or MTEXT for the extents, estimated like ezdxf does it (no font
 * files here): a monospaced font whose characters are as wide as the text height (times the width
 * factor), with a descender of 1/3 of the height; alignment, rotation and MTEXT line spacing,
 * wrapping at the reference width and attachment point applied. An estimate, not glyph outlines.
 */
import { Tags, regularEndOf, tagNum } from './dxf-records';
import { plainMText, plainText } from './dxf-text';

const DESCENDER = 0.333;

/** Four corners (WCS x, y), or null when the entity shows no text. */
export function textOutline(type: string, t: Tags): [number, number][] | null {
  return type === 'MTEXT' ? mtextOutline(t) : lineTextOutline(type, t);
}

function rawText(t: Tags, codes: number[]): string {
  const end = regularEndOf(t);
  let raw = '';
  for (const code of codes) for (let i = 0; i < end; i++) if (t.codes[i] === code) raw += t.vals[i];
  return raw;
}

function place(
  corners: [number, number][],
  origin: [number, number],
  angle: number,
): [number, number][] {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return corners.map(([x, y]) => [origin[0] + x * cos - y * sin, origin[1] + x * sin + y * cos]);
}

function lineTextOutline(type: string, t: Tags): [number, number][] | null {
  // An invisible attribute (flag 1) is not drawn.
  if (type === 'ATTRIB' && ((tagNum(t, 70) ?? 0) & 1) === 1) return null;
  const text = plainText(rawText(t, [1]));
  if (text.length === 0) return null;
  const x = tagNum(t, 10);
  const y = tagNum(t, 20);
  if (x === null || y === null) return null;
  let h = tagNum(t, 40) ?? 1;
  const halign = tagNum(t, 72) ?? 0;
  const valign = tagNum(t, type === 'ATTRIB' ? 74 : 73) ?? 0;
  let width = [...text].length * h * Math.abs(tagNum(t, 41) ?? 1);
  let angle = ((tagNum(t, 50) ?? 0) * Math.PI) / 180;
  let origin: [number, number] = [x, y];
  let shiftX = 0;
  let shiftY = 0;
  const ax = tagNum(t, 11);
  const ay = tagNum(t, 21);
  const alignPoint: [number, number] | null = ax !== null && ay !== null ? [ax, ay] : null;
  if ((halign === 3 || halign === 5) && alignPoint) {
    // ALIGNED (3) / FIT (5): stretched between the two points; ALIGNED keeps the aspect ratio.
    const dx = alignPoint[0] - x;
    const dy = alignPoint[1] - y;
    const length = Math.hypot(dx, dy);
    if (length > 0) {
      if (halign === 3) h *= length / width;
      width = length;
      angle = Math.atan2(dy, dx);
    }
    origin = [x + dx / 2, y + dy / 2];
    shiftX = -width / 2;
  } else {
    if (halign !== 0 || valign !== 0) origin = alignPoint ?? origin;
    if (halign === 1 || halign === 4) shiftX = -width / 2;
    else if (halign === 2) shiftX = -width;
    if (halign === 4)
      shiftY = -h + (h * (1 + DESCENDER)) / 2; // MIDDLE: centre of the whole line
    else if (valign === 1) shiftY = h * DESCENDER;
    else if (valign === 2) shiftY = -h / 2;
    else if (valign === 3) shiftY = -h;
  }
  const bottom = -h * DESCENDER + shiftY;
  const top = h + shiftY;
  return place(
    [
      [shiftX, bottom],
      [shiftX + width, bottom],
      [shiftX + width, top],
      [shiftX, top],
    ],
    origin,
    angle,
  );
}

function mtextOutline(t: Tags): [number, number][] | null {
  const lines = plainMText(rawText(t, [3, 1])).split('\n');
  if (!lines.some((line) => line.length > 0)) return null;
  const x = tagNum(t, 10);
  const y = tagNum(t, 20);
  if (x === null || y === null) return null;
  const h = tagNum(t, 40) ?? 1;
  const boxWidth = tagNum(t, 41) ?? 0;
  let lineCount = 0;
  let widest = 0;
  for (const line of lines) {
    const w = [...line].length * h;
    // Naive wrapping at the reference width, as ezdxf estimates it.
    lineCount += boxWidth > 0 ? Math.max(1, Math.ceil(w / boxWidth)) : 1;
    widest = Math.max(widest, boxWidth > 0 ? Math.min(w, boxWidth) : w);
  }
  const width = tagNum(t, 42) ?? (boxWidth > 0 ? boxWidth : widest || h);
  const lineHeight = h * (1 + DESCENDER);
  const spacing = h * (tagNum(t, 44) ?? 1) * 1.67 - lineHeight;
  const height = tagNum(t, 43) ?? lineHeight * lineCount + spacing * (lineCount - 1);
  // Attachment 1–9: top/middle/bottom × left/centre/right.
  const attachment = tagNum(t, 71) ?? 1;
  const column = (attachment - 1) % 3;
  const row = Math.floor((attachment - 1) / 3);
  const shiftX = column === 1 ? -width / 2 : column === 2 ? -width : 0;
  const shiftY = row === 1 ? height / 2 : row === 2 ? height : 0;
  const dx = tagNum(t, 11);
  const dy = tagNum(t, 21);
  const angle =
    dx !== null && dy !== null && (dx !== 0 || dy !== 0)
      ? Math.atan2(dy, dx)
      : ((tagNum(t, 50) ?? 0) * Math.PI) / 180;
  return place(
    [
      [shiftX, shiftY],
      [shiftX + width, shiftY],
      [shiftX + width, shiftY - height],
      [shiftX, shiftY - height],
    ],
    [x, y],
    angle,
  );
}
