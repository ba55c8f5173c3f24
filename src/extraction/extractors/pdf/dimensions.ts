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
const UNIT = String.raw`mm|cm|m|in|inch|"`;
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
      String.raw`(?:[Ø⌀ø∅]\s*|\bDIA\.?\s*)(?<value>${NUM})${FIT}?${TOL}?${UNIT_AFTER}?|(?<value2>${NUM})\s*(?:${UNIT})?\s*DIA\b\.?`,
      'g',
    ),
    confidence: 0.9,
  },
  {
    type: 'radius',
    re: new RegExp(String.raw`\bR\s?(?<value>${NUM})(?![\w.])${TOL}?${UNIT_AFTER}?`, 'g'),
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
    type: 'linear',
    re: new RegExp(
      String.raw`(?<![\w.,/+\-±])(?<value>${NUM})(?=${TOL_PLAIN}|\s*(?:${UNIT})(?![A-Za-z]))${TOL}?${UNIT_AFTER}?`,
      'g',
    ),
    confidence: 0.8,
  },
];

const toNumber = (s: string | undefined): number | null =>
  s === undefined ? null : Number(s.replace(',', '.'));

function normaliseUnit(unit: string | undefined, fallback: string | null): string | null {
  if (!unit) return fallback;
  if (unit === '"' || unit === 'inch') return 'in';
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
      const dim: DimensionMatch = {
        value: toNumber(g.value ?? g.value2),
        unit:
          type === 'angular'
            ? 'deg'
            : type === 'thread'
              ? 'mm'
              : normaliseUnit(g.unit, defaultUnit),
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
