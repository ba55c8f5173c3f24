import { sniffIso10303 } from './iso10303-syntax';
import { readStepFile } from './step-file-reader';
import { leafOccurrences, readProductStructure } from './step-product-structure';

function stepText(records: string[]): string {
  return [
    'ISO-10303-21;',
    'HEADER;',
    "FILE_DESCRIPTION((''),'2;1');",
    "FILE_NAME('t.stp','2024-01-01T00:00:00',(''),(''),'','','');",
    "FILE_SCHEMA(('AUTOMOTIVE_DESIGN'));",
    'ENDSEC;',
    'DATA;',
    ...records,
    'ENDSEC;',
    'END-ISO-10303-21;',
  ].join('\n');
}

function structureOf(records: string[]) {
  const text = stepText(records);
  const summary = readStepFile(text, sniffIso10303(Buffer.from(text, 'latin1'), 'STEP').headerText);
  return readProductStructure(summary.graph);
}

/** PRODUCT #n, formation #n+1, definition #n+2 (AP203 formations are the other subtype). */
function product(n: number, name: string, definition = 'PRODUCT_DEFINITION', docs = ''): string[] {
  return [
    `#${n}=PRODUCT('${name}','${name}','',(#1));`,
    `#${n + 1}=PRODUCT_DEFINITION_FORMATION_WITH_SPECIFIED_SOURCE('','',#${n},.NOT_KNOWN.);`,
    definition === 'PRODUCT_DEFINITION'
      ? `#${n + 2}=PRODUCT_DEFINITION('design','',#${n + 1},#2);`
      : `#${n + 2}=PRODUCT_DEFINITION_WITH_ASSOCIATED_DOCUMENTS('design','',#${n + 1},#2,(${docs}));`,
  ];
}

const nauo = (id: number, name: string, parent: number, child: number) =>
  `#${id}=NEXT_ASSEMBLY_USAGE_OCCURRENCE('${id}','${name}','',#${parent},#${child},$);`;

describe('readProductStructure', () => {
  it('takes as root the definition that is never a child, not the first product', () => {
    const s = structureOf([
      ...product(10, 'bolt'),
      ...product(20, 'nut-bolt'),
      ...product(30, 'bracket'),
      ...product(40, 'frame'),
      nauo(50, 'bolt_1', 22, 12),
      nauo(51, 'nb_1', 42, 22),
      nauo(52, 'nb_2', 42, 22),
      nauo(53, 'bracket_1', 42, 32),
    ]);
    expect(s.roots.map((r) => r.name)).toEqual(['frame']);
    expect(s.main?.name).toBe('frame');
    expect(s.main?.children.map((u) => [u.occurrence, u.node.name])).toEqual([
      ['nb_1', 'nut-bolt'],
      ['nb_2', 'nut-bolt'],
      ['bracket_1', 'bracket'],
    ]);
    expect(leafOccurrences(s.main!).map((n) => n.name)).toEqual(['bolt', 'bolt', 'bracket']);
    expect(s.external_files).toEqual([]);
  });

  it('picks the root with the most leaf occurrences when there are several', () => {
    const s = structureOf([
      ...product(10, 'a'),
      ...product(20, 'small'),
      ...product(30, 'big'),
      nauo(50, 'a1', 22, 12),
      nauo(51, 'a2', 32, 12),
      nauo(52, 'a3', 32, 12),
    ]);
    expect(s.roots.map((r) => r.name)).toEqual(['small', 'big']);
    expect(s.main?.name).toBe('big');
  });

  it('has no root without NAUO records, and survives a cycle', () => {
    expect(structureOf(product(10, 'single')).main).toBeNull();
    const cyclic = structureOf([
      ...product(10, 'x'),
      ...product(20, 'y'),
      ...product(30, 'top'),
      nauo(50, 'y1', 12, 22),
      nauo(51, 'x1', 22, 12),
      nauo(52, 'x2', 32, 12),
    ]);
    expect(cyclic.main?.name).toBe('top');
    expect(leafOccurrences(cyclic.main!)).toEqual([]);
  });

  it('reads external files from APPLIED_DOCUMENT_REFERENCE (on a definition or its shape)', () => {
    const s = structureOf([
      ...product(10, 'piston'),
      ...product(20, 'rod'),
      ...product(30, 'engine'),
      "#60=PRODUCT_DEFINITION_SHAPE('','',#22);",
      "#61=DOCUMENT_TYPE('');",
      "#62=DOCUMENT_FILE('piston.stp','',$,#61,'',$);",
      "#63=DOCUMENT_FILE('','rod.step',$,#61,'',$);",
      "#64=APPLIED_DOCUMENT_REFERENCE(#62,'',(#12));",
      "#65=APPLIED_DOCUMENT_REFERENCE(#63,'',(#60));",
      nauo(50, 'p1', 32, 12),
      nauo(51, 'r1', 32, 22),
    ]);
    expect(s.main?.children.map((u) => [u.node.name, u.node.external_files])).toEqual([
      ['piston', ['piston.stp']],
      ['rod', ['rod.step']],
    ]);
    expect(s.external_files).toEqual(['piston.stp', 'rod.step']);
  });

  it('reads external files of AP203 PRODUCT_DEFINITION_WITH_ASSOCIATED_DOCUMENTS', () => {
    const s = structureOf([
      "#61=DOCUMENT_TYPE('');",
      "#62=DOCUMENT_FILE('gear.stp','',$,#61,'',$);",
      ...product(10, 'gear', 'PRODUCT_DEFINITION_WITH_ASSOCIATED_DOCUMENTS', '#62'),
      ...product(20, 'box'),
      nauo(50, 'g1', 22, 12),
      nauo(51, 'g2', 22, 12),
    ]);
    expect(s.byDefinition.get(12)?.external_files).toEqual(['gear.stp']);
    expect(s.main?.children).toHaveLength(2);
  });
});
