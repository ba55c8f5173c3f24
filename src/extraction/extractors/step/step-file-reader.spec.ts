import { decodeStepString, parseParameters, sniffIso10303 } from './iso10303-syntax';
import { meshMetrics } from './mesh-metrics';
import { parseStepHeader, readStepFile, splitStatements } from './step-file-reader';

const FILE = [
  'ISO-10303-21;',
  'HEADER;',
  "FILE_DESCRIPTION(('a; description'),'2;1');",
  "FILE_NAME('bracket.stp','2020-02-03T04:05:06',('Ann','Bob'),('ACME; Inc.'),'pre 1','CAD X 9','ok');",
  "FILE_SCHEMA(('CONFIG_CONTROL_DESIGN'));",
  'ENDSEC;',
  'DATA;',
  "#1=PRODUCT('P-1','It''s; a part','desc',(#2));",
  "/* a comment; with a semicolon */ #2=PRODUCT_CONTEXT('',#3,'mechanical');",
  "#3=APPLICATION_CONTEXT('x');",
  '#4=(LENGTH_UNIT()NAMED_UNIT(*)SI_UNIT(.CENTI.,.METRE.));',
  '#5=(LENGTH_UNIT()NAMED_UNIT(*)SI_UNIT(.MILLI.,.METRE.));',
  '#6=(NAMED_UNIT(*)PLANE_ANGLE_UNIT()SI_UNIT($,.RADIAN.));',
  "#7=(GEOMETRIC_REPRESENTATION_CONTEXT(3)GLOBAL_UNIT_ASSIGNED_CONTEXT((#5,#6))REPRESENTATION_CONTEXT('',''));",
  'ENDSEC;',
  'END-ISO-10303-21;',
].join('\n');

describe('readStepFile', () => {
  const header = sniffIso10303(Buffer.from(FILE, 'latin1'), 'STEP').headerText;
  const summary = readStepFile(FILE, header);

  it('reads FILE_NAME and FILE_SCHEMA, semicolons inside strings included', () => {
    expect(summary.header).toEqual({
      description: ['a; description'],
      file_name: 'bracket.stp',
      timestamp: '2020-02-03T04:05:06',
      author: ['Ann', 'Bob'],
      organization: ['ACME; Inc.'],
      preprocessor_version: 'pre 1',
      originating_system: 'CAD X 9',
      authorization: 'ok',
      schema: ['CONFIG_CONTROL_DESIGN'],
    });
  });

  it('counts simple and complex entity instances by type', () => {
    expect(summary.total_entities).toBe(7);
    expect(summary.entity_counts).toEqual({
      LENGTH_UNIT: 2,
      NAMED_UNIT: 3,
      SI_UNIT: 3,
      APPLICATION_CONTEXT: 1,
      GEOMETRIC_REPRESENTATION_CONTEXT: 1,
      GLOBAL_UNIT_ASSIGNED_CONTEXT: 1,
      PLANE_ANGLE_UNIT: 1,
      PRODUCT: 1,
      PRODUCT_CONTEXT: 1,
      REPRESENTATION_CONTEXT: 1,
    });
    expect(summary.malformed_records).toBe(0);
  });

  it('reads product names with escaped quotes', () => {
    expect(summary.products).toEqual([
      { entity_id: 1, id: 'P-1', name: "It's; a part", description: 'desc' },
    ]);
  });

  it('prefers the length unit the representation context assigns', () => {
    expect(summary.length_unit).toEqual({ name: 'MILLIMETRE', symbol: 'mm', metres: 0.001 });
    expect(summary.angle_unit).toBe('RADIAN');
  });
});

describe('ISO-10303-21 syntax helpers', () => {
  it('decodes \\X2\\, \\X\\ and doubled quotes', () => {
    expect(decodeStepString("Stra\\X2\\00DF\\X0\\e ''A''")).toBe("Straße 'A'");
    expect(decodeStepString('\\X\\E9t\\X\\E9')).toBe('été');
  });

  it('parses nested parameter lists, typed values, enums and refs', () => {
    expect(parseParameters("'a',#12,(1.,-2.5E1),.T.,$,*,LENGTH_MEASURE(0.5)")).toEqual([
      { kind: 'string', value: 'a' },
      { kind: 'ref', value: 12 },
      {
        kind: 'list',
        items: [
          { kind: 'number', value: 1 },
          { kind: 'number', value: -25 },
        ],
      },
      { kind: 'enum', value: 'T' },
      { kind: 'null' },
      { kind: 'derived' },
      { kind: 'typed', type: 'LENGTH_MEASURE', args: [{ kind: 'number', value: 0.5 }] },
    ]);
  });

  it('splits statements outside strings only', () => {
    expect([...splitStatements("A('x;y');B();", 0)]).toEqual(["A('x;y')", 'B()']);
    expect(parseStepHeader("FILE_SCHEMA(('IFC4'));").schema).toEqual(['IFC4']);
  });
});

describe('meshMetrics', () => {
  // unit right tetrahedron with outward-facing triangles
  const positions = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];
  const outward = [0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3];

  it('computes volume, area, centroid and box of a closed mesh', () => {
    const m = meshMetrics(positions, outward);
    expect(m.volume).toBeCloseTo(1 / 6, 12);
    expect(m.surface_area).toBeCloseTo(1.5 + Math.sqrt(3) / 2, 12);
    expect(m.center_of_mass?.map((v) => Number(v.toFixed(12)))).toEqual([0.25, 0.25, 0.25]);
    expect(m.bbox).toEqual({ min: [0, 0, 0], max: [1, 1, 1] });
    expect(m.triangles).toBe(4);
  });

  it('gives a positive volume for inward-wound meshes too', () => {
    const inward = [0, 1, 2, 0, 3, 1, 0, 2, 3, 1, 3, 2];
    expect(meshMetrics(positions, inward).volume).toBeCloseTo(1 / 6, 12);
  });
});

describe('readStepFile materials', () => {
  const text = [
    'ISO-10303-21;',
    'HEADER;',
    "FILE_SCHEMA(('AUTOMOTIVE_DESIGN'));",
    'ENDSEC;',
    'DATA;',
    "#1=PRODUCT('bolt','','',());",
    "#2=PRODUCT_DEFINITION_FORMATION('','',#1);",
    "#3=PRODUCT_DEFINITION('design','',#2,$);",
    "#4=PRODUCT('AMS 5613','Greek Ascoloy','',());",
    "#5=PRODUCT_DEFINITION_FORMATION_WITH_SPECIFIED_SOURCE('1','',#4,.NOT_KNOWN.);",
    "#6=PRODUCT_DEFINITION('part definition','',#5,$);",
    "#7=MAKE_FROM_USAGE_OPTION('material','make from','',#3,#6,1,'',$);",
    "#8=PRODUCT('plate','Plate','',());",
    "#9=PRODUCT_DEFINITION_FORMATION('','',#8);",
    "#10=PRODUCT_DEFINITION('design','',#9,$);",
    "#11=PRODUCT_DEFINITION_SHAPE('','',#10);",
    "#12=MATERIAL_DESIGNATION('S235',(#11));",
    'ENDSEC;',
    'END-ISO-10303-21;',
  ].join('\n');

  it('follows make-from usage and material designations to product names', () => {
    const summary = readStepFile(text, sniffIso10303(Buffer.from(text), 'STEP').headerText);
    expect(summary.materials).toEqual({ bolt: ['Greek Ascoloy'], Plate: ['S235'] });
  });
});
