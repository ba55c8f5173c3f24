/**
 * Field names compared the way an engineer reads them: case, punctuation, units in brackets and
 * camelCase ignored, and common drawing abbreviations (QTY, P/N, MATL, DIA, REV, DWG NO) mapped
 * to one canonical concept.
 */

/** "Part-No.", "PART NO", "partNo" → "part no"; "Length (m)" → "length". */
export function normaliseName(name: string): string {
  return name
    .replace(/\s*[([][^)\]]*[)\]]\s*$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[ø⌀∅]/g, ' dia ')
    .replace(/#/g, ' no ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The last segment of a dotted name ("Pset_WallCommon.FireRating" → "FireRating"). */
export function lastSegment(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1) : name;
}

/** Normalised spellings of one concept; `weak` ones match with less confidence. */
interface Concept {
  name: string;
  strong: string[];
  weak?: string[];
}

const CONCEPTS: Concept[] = [
  {
    name: 'quantity',
    strong: ['qty', 'quantity', 'qnty', 'count', 'pcs', 'menge', 'qte'],
    weak: ['amount', 'number of pieces'],
  },
  {
    name: 'part_number',
    strong: [
      'part no',
      'part number',
      'part num',
      'partno',
      'partnumber',
      'p n',
      'pn',
      'part nr',
      'article no',
      'article number',
    ],
    weak: ['item', 'part', 'item no', 'item number'],
  },
  { name: 'description', strong: ['desc', 'descr', 'description'], weak: ['designation', 'name'] },
  { name: 'material', strong: ['matl', 'material', 'mat', 'mtl', 'materials', 'werkstoff'] },
  { name: 'diameter', strong: ['dia', 'diameter', 'diam'] },
  { name: 'revision', strong: ['rev', 'revision', 'rev no', 'revision no'] },
  {
    name: 'drawing_number',
    strong: ['dwg', 'dwg no', 'dwg number', 'drawing no', 'drawing number', 'drg no', 'drawing nr'],
    weak: ['drawing'],
  },
  { name: 'weight', strong: ['weight', 'wt', 'mass'] },
  { name: 'thickness', strong: ['thk', 'thickness', 'thick'] },
  { name: 'length', strong: ['len', 'length', 'lg'] },
  { name: 'unit', strong: ['uom', 'unit', 'units', 'unit of measure'] },
];

const STRONG = new Map<string, string>();
const WEAK = new Map<string, string>();
for (const concept of CONCEPTS) {
  for (const s of concept.strong) STRONG.set(s, concept.name);
  for (const s of concept.weak ?? []) WEAK.set(s, concept.name);
}

/** The concept a normalised name stands for, and whether only weakly. */
export function conceptOf(normalised: string): { concept: string; weak: boolean } | null {
  const strong = STRONG.get(normalised) ?? STRONG.get(normalised.replace(/ /g, ''));
  if (strong) return { concept: strong, weak: false };
  const weak = WEAK.get(normalised);
  return weak ? { concept: weak, weak: true } : null;
}

/**
 * How surely two names mean the same: 1 equal, 0.9 same concept, 0.8 equal last segment
 * ("Qto.Length (m)" and "Length"), 0.7 weak synonym, 0 otherwise. No substring scores: "no" is
 * not "notes" and "item" is not "item_id".
 */
export function nameScore(source: string, target: string): number {
  const candidates = (name: string) => {
    const full = normaliseName(name);
    const last = normaliseName(lastSegment(name));
    return { full, last };
  };
  const s = candidates(source);
  const t = candidates(target);
  if (s.full === '' || t.full === '') return 0;
  if (s.full === t.full) return 1;
  const sc = conceptOf(s.full) ?? conceptOf(s.last);
  const tc = conceptOf(t.full) ?? conceptOf(t.last);
  if (sc && tc && sc.concept === tc.concept) return sc.weak || tc.weak ? 0.7 : 0.9;
  if (s.last === t.last || s.last === t.full || s.full === t.last) return 0.8;
  return 0;
}
