/** DXF record types: block attributes, BOM lines, dimensions, texts, layers, title block. */
import {
  bomItemsReader,
  flattenObject,
  listReader,
  objectsAt,
  RecordTypeReader,
  SourceRow,
  titleBlockReader,
  toRowValue,
} from './source-row';

/** One row per block: name, counts, and each attribute tag as a column of its value. */
const blocksReader: RecordTypeReader = {
  name: 'blocks',
  read: (result) =>
    objectsAt(result.blocks).map((block) => {
      const row: SourceRow = {
        name: toRowValue(block.name),
        insert_count: toRowValue(block.insert_count),
        entity_count: toRowValue(block.entity_count),
      };
      for (const attribute of objectsAt(block.attributes)) {
        const tag = typeof attribute.tag === 'string' ? attribute.tag.trim() : '';
        if (tag && !(tag in row)) row[tag] = toRowValue(attribute.value);
      }
      return row;
    }),
};

/** Texts with their insertion point as x / y (the position list itself is no table value). */
const textsReader: RecordTypeReader = {
  name: 'texts',
  read: (result) =>
    objectsAt(result.text_blocks).map((text) => {
      const row = flattenObject(text, ['position']);
      const position = Array.isArray(text.position) ? (text.position as unknown[]) : [];
      row.x = toRowValue(position[0]);
      row.y = toRowValue(position[1]);
      return row;
    }),
};

export const DXF_RECORD_TYPES: RecordTypeReader[] = [
  bomItemsReader('bom'),
  blocksReader,
  textsReader,
  listReader('dimensions', 'dimensions', ['position']),
  listReader('layers', 'layers'),
  titleBlockReader,
];
