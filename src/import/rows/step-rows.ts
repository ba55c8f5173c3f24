/** STEP record types: parts (the assembly tree, one row per occurrence) and the BOM. */
import {
  bomItemsReader,
  objectAt,
  objectsAt,
  RecordTypeReader,
  SourceRow,
  toRowValue,
} from './source-row';

const round = (v: number) => Math.round(v * 1e6) / 1e6;

function partRows(
  parts: Record<string, unknown>[],
  parent: string | null,
  level: number,
): SourceRow[] {
  const rows: SourceRow[] = [];
  for (const part of parts) {
    const bbox = objectAt(part.bbox);
    const min = Array.isArray(bbox?.min) ? (bbox.min as number[]) : null;
    const max = Array.isArray(bbox?.max) ? (bbox.max as number[]) : null;
    const size = (i: number) => (min && max ? round(max[i] - min[i]) : null);
    rows.push({
      part_id: toRowValue(part.part_id),
      name: toRowValue(part.name),
      shape_type: toRowValue(part.shape_type),
      parent_id: parent,
      level,
      volume: toRowValue(part.volume),
      surface_area: toRowValue(part.surface_area),
      size_x: size(0),
      size_y: size(1),
      size_z: size(2),
      color: toRowValue(part.color),
      material: toRowValue(part.material),
      num_faces: toRowValue(part.num_faces),
    });
    rows.push(...partRows(objectsAt(part.children), toRowValue(part.part_id) as string, level + 1));
  }
  return rows;
}

const partsReader: RecordTypeReader = {
  name: 'parts',
  read: (result) => partRows(objectsAt(objectAt(result.assembly)?.parts), null, 1),
};

export const STEP_RECORD_TYPES: RecordTypeReader[] = [partsReader, bomItemsReader('bom')];
