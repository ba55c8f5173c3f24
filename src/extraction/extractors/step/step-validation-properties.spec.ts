import { sniffIso10303 } from './iso10303-syntax';
import { readStepFile } from './step-file-reader';
import { readValidationProperties } from './step-validation-properties';

function read(records: string[], outputMetres = 0.001) {
  const text = [
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
  const summary = readStepFile(text, sniffIso10303(Buffer.from(text, 'latin1'), 'STEP').headerText);
  const fetched: number[][] = [];
  const values = readValidationProperties(
    summary.graph,
    {
      fileMetres: summary.length_unit?.metres ?? 0.001,
      outputMetres,
      lengthUnits: summary.length_units_by_id,
    },
    (ids) => {
      fetched.push(ids);
      summary.fetchRecords(ids);
    },
  );
  return { values, fetched };
}

const PART = [
  "#1=PRODUCT('p','plate','',(#90));",
  "#2=PRODUCT_DEFINITION_FORMATION('','',#1);",
  "#3=PRODUCT_DEFINITION('design','',#2,#91);",
  "#4=PRODUCT_DEFINITION_SHAPE('','',#3);",
  '#5=(LENGTH_UNIT()NAMED_UNIT(*)SI_UNIT(.MILLI.,.METRE.));',
  '#6=DERIVED_UNIT_ELEMENT(#5,3.);',
  '#7=DERIVED_UNIT((#6));',
  '#8=DERIVED_UNIT_ELEMENT(#5,2.);',
  '#9=DERIVED_UNIT((#8));',
  "#99=(GEOMETRIC_REPRESENTATION_CONTEXT(3)GLOBAL_UNIT_ASSIGNED_CONTEXT((#5))REPRESENTATION_CONTEXT('',''));",
];

describe('readValidationProperties', () => {
  it('reads volume, area and centroid of a part, the centroid point in a second pass', () => {
    const { values, fetched } = read([
      ...PART,
      "#10=PROPERTY_DEFINITION('geometric validation property','volume',#4);",
      "#11=REPRESENTATION('volume',(#12),#99);",
      "#12=MEASURE_REPRESENTATION_ITEM('volume measure',VOLUME_MEASURE(1.5E3),#7);",
      '#13=PROPERTY_DEFINITION_REPRESENTATION(#10,#11);',
      "#20=PROPERTY_DEFINITION('geometric validation property','surface area',#4);",
      "#21=REPRESENTATION('surface area',(#22),#99);",
      "#22=MEASURE_REPRESENTATION_ITEM('surface area measure',AREA_MEASURE(900.),#9);",
      '#23=PROPERTY_DEFINITION_REPRESENTATION(#20,#21);',
      "#30=PROPERTY_DEFINITION('geometric validation property','centroid',#4);",
      "#31=REPRESENTATION('centroid',(#32),#99);",
      "#32=CARTESIAN_POINT('centre point',(1.,2.,3.5));",
      '#33=PROPERTY_DEFINITION_REPRESENTATION(#30,#31);',
    ]);
    expect([...values.entries()]).toEqual([
      [3, { volume: 1500, surface_area: 900, center_of_mass: [1, 2, 3.5] }],
    ]);
    expect(fetched).toEqual([[32]]);
  });

  it('converts to the output unit through the DERIVED_UNIT (inch file, mm output)', () => {
    const { values } = read(
      [
        "#1=PRODUCT('p','plate','',(#90));",
        "#2=PRODUCT_DEFINITION_FORMATION('','',#1);",
        "#3=PRODUCT_DEFINITION('design','',#2,#91);",
        "#4=PRODUCT_DEFINITION_SHAPE('','',#3);",
        "#5=(CONVERSION_BASED_UNIT('INCH',#50)LENGTH_UNIT()NAMED_UNIT(#51));",
        '#6=DERIVED_UNIT_ELEMENT(#5,3.);',
        '#7=DERIVED_UNIT((#6));',
        "#10=PROPERTY_DEFINITION('geometric_validation_property','volume of plate',#4);",
        "#11=REPRESENTATION('volume',(#12),#99);",
        "#12=MEASURE_REPRESENTATION_ITEM('volume measure',VOLUME_MEASURE(2.),#7);",
        '#13=PROPERTY_DEFINITION_REPRESENTATION(#10,#11);',
        "#30=PROPERTY_DEFINITION('geometric_validation_property','centroid',#4);",
        "#31=REPRESENTATION('centroid',(#32),#99);",
        "#32=CARTESIAN_POINT('centre point',(1.,0.,0.));",
        '#33=PROPERTY_DEFINITION_REPRESENTATION(#30,#31);',
      ],
      0.001,
    );
    const plate = values.get(3);
    expect(plate?.volume).toBeCloseTo(2 * 25.4 ** 3, 6);
    expect(plate?.center_of_mass?.[0]).toBeCloseTo(25.4, 9);
  });

  it('follows a SHAPE_ASPECT and reads a complex measure item', () => {
    const { values } = read([
      ...PART,
      "#40=SHAPE_ASPECT('','solid data',#4,.F.);",
      "#41=PROPERTY_DEFINITION('geometric validation property','area',#40);",
      "#42=REPRESENTATION('surface area',(#43),#99);",
      "#43=(AREA_MEASURE_WITH_UNIT()MEASURE_REPRESENTATION_ITEM()MEASURE_WITH_UNIT(AREA_MEASURE(12.),#9)REPRESENTATION_ITEM('surface area measure'));",
      '#44=PROPERTY_DEFINITION_REPRESENTATION(#41,#42);',
    ]);
    expect(values.get(3)).toEqual({ volume: null, surface_area: 12, center_of_mass: null });
  });

  it('ignores other properties and values placed on an occurrence', () => {
    const { values } = read([
      ...PART,
      "#50=NEXT_ASSEMBLY_USAGE_OCCURRENCE('1','plate_1','',#3,#3,$);",
      "#51=PRODUCT_DEFINITION_SHAPE('Placement','',#50);",
      "#52=PROPERTY_DEFINITION('geometric validation property','centroid',#51);",
      "#53=REPRESENTATION('centroid',(#54),#99);",
      "#54=CARTESIAN_POINT('centre point',(9.,9.,9.));",
      '#55=PROPERTY_DEFINITION_REPRESENTATION(#52,#53);',
      "#60=PROPERTY_DEFINITION('mass property','volume',#4);",
      "#61=REPRESENTATION('volume',(#62),#99);",
      "#62=MEASURE_REPRESENTATION_ITEM('volume measure',VOLUME_MEASURE(7.),#7);",
      '#63=PROPERTY_DEFINITION_REPRESENTATION(#60,#61);',
    ]);
    expect(values.size).toBe(0);
  });
});
