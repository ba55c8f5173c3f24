/**
 * Erases long thin horizontal and vertical lines from a page image before OCR. On drawings, text
 * sits against frame, grid, box and dimension lines; tesseract then reads the line as part of a
 * word (or as a word of its own) and loses the label. A dark run longer than a letter stroke can
 * be, and no thicker than a drawn line, is painted white; the strokes of large or bold letters
 * are thicker than that and stay.
 */

/** RGBA pixels, as canvas ImageData holds them. */
export interface Rgba {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** A run at least this long (inches) is a line: letter strokes of text up to ~25 pt are shorter. */
const MIN_LINE_INCHES = 0.25;
/** …and at most this thick (inches, ~2 pt): strokes of large letters are thicker. */
const MAX_LINE_THICKNESS_INCHES = 0.03;
/** Places along a run where its thickness is measured. */
const THICKNESS_SAMPLES = 5;

/** Paints the long thin lines of the image white; returns how many pixels it erased. */
export function eraseLines(image: Rgba, dpi: number): number {
  const { data, width: w, height: h } = image;
  const minRun = Math.round(MIN_LINE_INCHES * dpi);
  const maxThickness = Math.max(2, Math.round(MAX_LINE_THICKNESS_INCHES * dpi));
  const dark = new Uint8Array(w * h);
  for (let i = 0, p = 0; i < dark.length; i++, p += 4) {
    dark[i] = data[p] + data[p + 1] + data[p + 2] < 384 ? 1 : 0;
  }
  const erase = new Uint8Array(w * h);

  /** Dark pixels across the run at one point (the line's thickness there). */
  const across = (index: number, step: number, limit: number): number => {
    let n = 1;
    for (let k = index - step, m = 0; m < limit && k >= 0 && dark[k]; k -= step, m++) n++;
    for (let k = index + step, m = 0; m < limit && k < dark.length && dark[k]; k += step, m++) n++;
    return n;
  };
  const thin = (start: number, length: number, along: number, step: number): boolean => {
    let thinSamples = 0;
    for (let s = 0; s < THICKNESS_SAMPLES; s++) {
      const at = start + Math.floor(((s + 0.5) * length) / THICKNESS_SAMPLES) * along;
      if (across(at, step, maxThickness + 1) <= maxThickness) thinSamples++;
    }
    return thinSamples > THICKNESS_SAMPLES / 2;
  };

  // Rows: horizontal runs (along = 1, across = w); then columns (along = w, across = 1).
  for (let y = 0; y < h; y++) {
    let start = -1;
    for (let x = 0; x <= w; x++) {
      const on = x < w && dark[y * w + x] === 1;
      if (on && start < 0) start = x;
      else if (!on && start >= 0) {
        if (x - start >= minRun && thin(y * w + start, x - start, 1, w)) {
          erase.fill(1, y * w + start, y * w + x);
        }
        start = -1;
      }
    }
  }
  for (let x = 0; x < w; x++) {
    let start = -1;
    for (let y = 0; y <= h; y++) {
      const on = y < h && dark[y * w + x] === 1;
      if (on && start < 0) start = y;
      else if (!on && start >= 0) {
        if (y - start >= minRun && thin(start * w + x, y - start, w, 1)) {
          for (let k = start; k < y; k++) erase[k * w + x] = 1;
        }
        start = -1;
      }
    }
  }
  let erased = 0;
  for (let i = 0, p = 0; i < erase.length; i++, p += 4) {
    if (erase[i]) {
      data[p] = data[p + 1] = data[p + 2] = 255;
      erased++;
    }
  }
  return erased;
}
