/**
 * AutoCAD Color Index (ACI). Colours 1–9 have names; the rest are reported as #rrggbb from the
 * standard palette (values taken from dxf-parser's AutoCadColorIndex table, MIT licence).
 */

const ACI_NAMES: Record<number, string> = {
  0: 'ByBlock',
  1: 'red',
  2: 'yellow',
  3: 'green',
  4: 'cyan',
  5: 'blue',
  6: 'magenta',
  7: 'white',
  8: 'dark gray',
  9: 'light gray',
  256: 'ByLayer',
};

const PALETTE =
  '000000ff0000ffff0000ff0000ffff0000ffff00ffffffff808080c0c0c0ff0000ff7f7fcc0000cc6666990000994c4c' +
  '7f00007f3f3f4c00004c2626ff3f00ff9f7fcc3300cc7f66992600995f4c7f1f007f4f3f4c13004c2f26ff7f00ffbf7f' +
  'cc6600cc9966994c0099724c7f3f007f5f3f4c26004c3926ffbf00ffdf7fcc9900ccb26699720099854c7f5f007f6f3f' +
  '4c39004c4226ffff00ffff7fcccc00cccc6698980098984c7f7f007f7f3f4c4c004c4c26bfff00dfff7f99cc00b2cc66' +
  '72980085984c5f7f006f7f3f394c00424c267fff00bfff7f66cc0099cc664c980072984c3f7f005f7f3f264c00394c26' +
  '3fff009fff7f33cc007fcc662698005f984c1f7f004f7f3f134c002f4c2600ff007fff7f00cc0066cc660098004c984c' +
  '007f003f7f3f004c00264c2600ff3f7fff9f00cc3366cc7f0098264c985f007f1f3f7f4f004c13264c2f00ff7f7fffbf' +
  '00cc6666cc9900984c4c9872007f3f3f7f5f004c26264c3900ffbf7fffdf00cc9966ccb20098724c9885007f5f3f7f6f' +
  '004c39264c4200ffff7fffff00cccc66cccc0098984c9898007f7f3f7f7f004c4c264c4c00bfff7fdfff0099cc66b2cc' +
  '0072984c8598005f7f3f6f7f00394c26424c007fff7fbfff0066cc6699cc004c984c7298003f7f3f5f7f00264c26394c' +
  '003fff7f9fff0033cc667fcc0026984c5f98001f7f3f4f7f00134c262f4c0000ff7f7fff0000cc6666cc0000984c4c98' +
  '00007f3f3f7f00004c26264c3f00ff9f7fff3300cc7f66cc2600985f4c981f007f4f3f7f13004c2f264c7f00ffbf7fff' +
  '6600cc9966cc4c0098724c983f007f5f3f7f26004c39264cbf00ffdf7fff9900ccb266cc720098854c985f007f6f3f7f' +
  '39004c42264cff00ffff7fffcc00cccc66cc980098984c987f007f7f3f7f4c004c4c264cff00bfff7fdfcc0099cc66b2' +
  '980072984c857f005f7f3f6f4c00394c2642ff007fff7fbfcc0066cc669998004c984c727f003f7f3f5f4c00264c2639' +
  'ff003fff7f9fcc0033cc667f980026984c5f7f001f7f3f4f4c00134c262f3333335b5b5b848484adadadd6d6d6ffffff';
/** Name (1–9, ByBlock, ByLayer) or palette hex of an ACI number; the sign (layer off) is ignored. */
export function aciColorName(aci: number | null): string | null {
  if (aci === null || !Number.isFinite(aci)) return null;
  const n = Math.abs(Math.trunc(aci));
  const name = ACI_NAMES[n];
  if (name) return name;
  if (n >= 1 && n <= 255) return `#${PALETTE.slice(n * 6, n * 6 + 6)}`;
  return null;
}

/** A true colour (group 420, 0x00RRGGBB) as #rrggbb. */
export function trueColorHex(value: number | null): string | null {
  if (value === null || !Number.isFinite(value) || value < 0) return null;
  return `#${(value & 0xffffff).toString(16).padStart(6, '0')}`;
}
