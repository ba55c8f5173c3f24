/**
 * Rows of a job result for import: the record types a format offers, a default per format (the
 * first that has rows, in the format's order), and the rows of the one asked for.
 */
import { DomainError } from '../../common/domain-error';
import { DXF_RECORD_TYPES } from './dxf-rows';
import { IFC_RECORD_TYPES } from './ifc-rows';
import { PDF_RECORD_TYPES } from './pdf-rows';
import {
  bomItemsReader,
  listReader,
  RecordTypeReader,
  RowSet,
  titleBlockReader,
} from './source-row';
import { STEP_RECORD_TYPES } from './step-rows';

const READERS: Record<string, RecordTypeReader[]> = {
  pdf: PDF_RECORD_TYPES,
  dxf: DXF_RECORD_TYPES,
  ifc: IFC_RECORD_TYPES,
  step: STEP_RECORD_TYPES,
  bom: [bomItemsReader('items')],
  werk24: [
    listReader('dimensions', 'dimensions'),
    listReader('gdt_annotations', 'gdt_annotations'),
    listReader('threads', 'threads'),
    listReader('surface_finishes', 'surface_finishes'),
    listReader('materials', 'materials'),
    titleBlockReader,
  ],
};

export class UnknownRecordTypeError extends DomainError {
  constructor(recordType: string, available: string[]) {
    super(
      'VALIDATION_FAILED',
      `Unknown record_type "${recordType}"; this result offers: ${available.join(', ')}`,
      { field: 'record_type', value: recordType, record_types: available },
    );
  }
}

/** The reader of a record type of a format (the format's first when none is named). */
export function readerOf(format: string, recordType: string | null): RecordTypeReader | null {
  const readers = READERS[format] ?? [];
  return (recordType ? readers.find((r) => r.name === recordType) : readers[0]) ?? null;
}

/** The record types a format offers, in its order. */
export function recordTypesOf(format: string): string[] {
  return (READERS[format] ?? []).map((r) => r.name);
}

export function rowsFromResult(
  format: string,
  result: Record<string, unknown>,
  recordType?: string | null,
): RowSet {
  const read = (READERS[format] ?? []).map((r) => ({ name: r.name, rows: r.read(result) }));
  const record_types = [
    ...read.filter((r) => r.rows.length > 0),
    ...read.filter((r) => r.rows.length === 0),
  ].map((r) => r.name);
  const chosen = recordType
    ? read.find((r) => r.name === recordType)
    : (read.find((r) => r.rows.length > 0) ?? read[0]);
  if (recordType && !chosen) throw new UnknownRecordTypeError(recordType, recordTypesOf(format));
  return { record_type: chosen?.name ?? 'rows', record_types, rows: chosen?.rows ?? [] };
}
