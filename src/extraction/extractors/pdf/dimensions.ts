/**
 * Dimension callouts from text. Each match consumes its whole span (value, tolerance, unit, fit)
 * so a tolerance is never reported again as a dimension of its own. Bare numbers without a unit,
 * symbol or tolerance are not reported: on a page they are as often item numbers or quantities.
 */
import { BBox, PdfDimension } from './pdf-types';

export interface DimensionMatch {
  value: number | null;
  unit: string | null;
  tolerance_plus: number | null;
  tolerance_minus: number | null;
  dimension_type: PdfDimension['dimension_type'];
  label: string;
  confidence: number;
  pitch?: number | null;
  fit?: string | null;
}

const NUM = String.raw`\d+(?:[.,]\d+)?|[.,]\d+`;
/** Inch marks: straight, curly (what OCR emits), double prime, two apostrophes. */
const INCH = String.raw`["\u201D\u2033]|''`;
/** Foot marks: apostrophe, right single quote, prime. */
const FOOT = String.raw`['\u2019\u2032]`;
/** 1-1/2, 1 1/2 or 1/2: only read as a value when an inch mark follows (dates, sheets…). */
const FRACTION = String.raw`\d+(?:-|\s+)\d+/\d+|\d+/\d+`;
/** A value: a fraction before an inch mark, else a number that is not part of a fraction. */
const VALUE = String.raw`(?:${FRACTION})(?=\s*(?:${INCH}))|(?:${NUM})(?![\d/])`;
const UNIT = String.raw`mm|cm|m|in|inch|${INCH}`;
/** ±0.1 | +0.2/-0.1 | +0.2 -0.1 | -0.1/+0.2, optionally followed by its own unit. */
const TOL = String.raw`(?:\s*(?:±|\+/-|\+-)\s*(?<sym>${NUM})|\s*\+\s*(?<plus>${NUM})\s*/?\s*[-−]\s*(?<minus>${NUM})|\s*[-−]\s*(?<minus2>${NUM})\s*/?\s*\+\s*(?<plus2>${NUM}))`;
/** TOL without named groups, for look-aheads (Node 20 forbids duplicate group names). */
const TOL_PLAIN = TOL.replace(/\?<\w+>/g, '');
const FIT = String.raw`(?:\s*(?<fit>[A-HJ-NP-Za-hj-np-z]{1,2}\d{1,2})(?![\w.]))`;
const UNIT_AFTER = String.raw`(?:\s*(?<unit>${UNIT})(?![A-Za-z]))`;

const PATTERNS: { type: PdfDimension['dimension_type']; re: RegExp; confidence: number }[] = [
  {
    type: 'thread',
    re: new RegExp(
      String.raw`\bM(?<value>\d+(?:[.,]\d+)?)(?:\s*[x×X]\s*(?<pitch>${NUM}))?(?:\s*-\s*\d[gGhH](?:\d[gGhH])?)?(?![\w.])`,
      'g',
    ),
    confidence: 0.9,
  },
  {
    type: 'diameter',
    re: new RegExp(
      String.raw`(?:[Ø⌀ø∅]\s*|\bDIA\.?\s*)(?<value>${VALUE})${FIT}?${TOL}?${UNIT_AFTER}?|(?<![\w.,/+\-±])(?<value2>${VALUE})\s*(?<unit2>${UNIT})?\s*DIA\b\.?`,
      'g',
    ),
    confidence: 0.9,
  },
  {
    type: 'radius',
    re: new RegExp(String.raw`\bR\s?(?<value>${VALUE})(?![\w.])${TOL}?${UNIT_AFTER}?`, 'g'),
    confidence: 0.85,
  },
  {
    type: 'angular',
    re: new RegExp(
      String.raw`(?<value>${NUM})\s*°(?![CF]\b)(?:\s*(?:±)\s*(?<sym>${NUM})\s*°?)?`,
      'g',
    ),
    confidence: 0.9,
  },
  {
    // Feet and inches: 1'-4", 6' 0", 6'-0 1/2", or feet alone (12'); reported in inches.
    type: 'linear',
    re: new RegExp(
      String.raw`(?<![\w.,/+\-±°'\u2019\u2032])(?<feet>\d+(?:\.\d+)?)\s*(?:${FOOT})(?:\s*-?\s*(?<inches>${VALUE})\s*(?:${INCH}))?(?![\w'\u2019\u2032])`,
      'g',
    ),
    confidence: 0.8,
  },
  {
    type: 'linear',
    re: new RegExp(
      String.raw`(?<![\w.,/+\-±])(?<value>${VALUE})(?=${TOL_PLAIN}|\s*(?:${UNIT})(?![A-Za-z]))${TOL}?${UNIT_AFTER}?`,
      'g',
    ),
    confidence: 0.8,
  },
];

/** "1.5", "1,5", "1/2", "1-1/2", "1 1/2" → number. */
function toValue(s: string | undefined): number | null {
  if (s === undefined) return null;
  const fraction = /^(?:(\d+)(?:-|\s+))?(\d+)\/(\d+)$/.exec(s.trim());
  if (fraction) {
    const whole = Number(fraction[1] ?? 0);
    const denominator = Number(fraction[3]);
    if (denominator === 0) return null;
    return whole + Number(fraction[2]) / denominator;
  }
  return Number(s.replace(',', '.'));
}

/** Feet (and inches) → inches. */
function feetInches(feet: string, inches: string | undefined): number | null {
  const rest = inches === undefined ? 0 : toValue(inches);
  return rest === null ? null : Math.round((Number(feet) * 12 + rest) * 1e6) / 1e6;
}

const toNumber = (s: string | undefined): number | null =>
  s === undefined ? null : Number(s.replace(',', '.'));

function normaliseUnit(unit: string | undefined, fallback: string | null): string | null {
  if (!unit) return fallback;
  if (new RegExp(String.raw`^(?:${INCH}|inch)$`).test(unit)) return 'in';
  return unit.toLowerCase();
}

/**
 * Finds the dimensions in one text string. `defaultUnit` applies to linear, diameter and radius
 * values written without a unit when the drawing states one (e.g. "ALL DIMENSIONS IN MM").
 */
export function parseDimensions(text: string, defaultUnit: string | null = null): DimensionMatch[] {
  const taken: [number, number][] = [];
  const found: { at: number; dim: DimensionMatch }[] = [];
  for (const { type, re, confidence } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      const g = m.groups ?? {};
      const sym = toNumber(g.sym);
      const plus = toNumber(g.plus ?? g.plus2);
      const minus = toNumber(g.minus ?? g.minus2);
      const feet = g.feet !== undefined;
      const dim: DimensionMatch = {
        value: feet ? feetInches(g.feet, g.inches) : toValue(g.value ?? g.value2),
        unit:
          type === 'angular'
            ? 'deg'
            : type === 'thread'
              ? 'mm'
              : feet
                ? 'in'
                : normaliseUnit(g.unit ?? g.unit2, defaultUnit),
        tolerance_plus: sym !== null ? sym : plus,
        tolerance_minus: sym !== null ? 0 - sym || 0 : minus !== null ? 0 - minus || 0 : null,
        dimension_type: type,
        label: m[0].trim(),
        confidence,
      };
      if (type === 'thread') dim.pitch = toNumber(g.pitch);
      if (type === 'diameter') dim.fit = g.fit ?? null;
      taken.push([start, end]);
      found.push({ at: start, dim });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.dim);
}

/** The unit a drawing declares for undimensioned values ("DIMENSIONS IN MM", "UNITS: INCH"). */
export function declaredUnit(texts: string[]): string | null {
  for (const t of texts) {
    const m =
      /\b(?:DIMENSIONS?|UNITS?)(?:\s+(?:ARE|IN))*\s*:?\s*(MM|MILLIMET(?:ER|RE)S?|INCH(?:ES)?|IN)\b/i.exec(
        t,
      );
    if (m) return /^m/i.test(m[1]) ? 'mm' : 'in';
  }
  return null;
}

export function toPdfDimension(
  match: DimensionMatch,
  page: number,
  bbox: BBox,
  ocrConfidence = 1,
): PdfDimension {
  return {
    ...match,
    page,
    confidence: Math.round(match.confidence * ocrConfidence * 100) / 100,
    bbox,
  };
}
