/** IFC record types: elements (properties and quantities flattened), storeys, type objects. */
import {
  listReader,
  objectAt,
  objectsAt,
  RecordTypeReader,
  SourceRow,
  toRowValue,
} from './source-row';

/**
 * One row per element: class, name, GlobalId, storey, material, then "Pset.Property" columns and
 * "Qto.Quantity (unit)" columns (the unit in the name, so that values stay numbers).
 */
function elementRow(element: Record<string, unknown>): SourceRow {
  const materials = Array.isArray(element.materials) ? (element.materials as unknown[]) : [];
  const row: SourceRow = {
    ifc_class: toRowValue(element.ifc_class),
    name: toRowValue(element.name),
    global_id: toRowValue(element.global_id),
    storey: toRowValue(element.storey),
    material: toRowValue(materials),
    description: toRowValue(element.description),
    object_type: toRowValue(element.object_type),
    type_name: toRowValue(element.type_name),
  };
  for (const [set, properties] of Object.entries(objectAt(element.properties) ?? {})) {
    for (const [name, value] of Object.entries(objectAt(properties) ?? {})) {
      row[`${set}.${name}`] = toRowValue(value);
    }
  }
  for (const [set, quantities] of Object.entries(objectAt(element.quantities) ?? {})) {
    for (const [name, quantity] of Object.entries(objectAt(quantities) ?? {})) {
      const q = objectAt(quantity);
      const unit = typeof q?.unit === 'string' && q.unit ? ` (${q.unit})` : '';
      row[`${set}.${name}${unit}`] = toRowValue(q ? q.value : quantity);
    }
  }
  return row;
}

const elementsReader: RecordTypeReader = {
  name: 'elements',
  read: (result) => objectsAt(result.elements).map(elementRow),
  list: { path: ['elements'], row: elementRow },
};

const storeysReader: RecordTypeReader = {
  name: 'storeys',
  read: (result) =>
    objectsAt(objectAt(result.spatial_structure)?.storeys).map((storey) => ({
      name: toRowValue(storey.name),
      global_id: toRowValue(storey.global_id),
      long_name: toRowValue(storey.long_name),
      elevation: toRowValue(storey.elevation),
      building: toRowValue(storey.building),
      element_count: toRowValue(storey.element_count),
    })),
};

export const IFC_RECORD_TYPES: RecordTypeReader[] = [
  elementsReader,
  storeysReader,
  listReader('types', 'type_objects'),
];
