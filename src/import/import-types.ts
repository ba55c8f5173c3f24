/** What an import is asked to do and what it answers (the wire DTOs mirror these). */
import { TableField } from '../tables/table-gateway';
import { RowError } from './import-plan';

export interface ImportCommand {
  jobId: string;
  tableId: string;
  fieldMapping: Record<string, string | null>;
  createMissingFields: boolean;
  skipErrors: boolean;
  rowIndices: number[] | null;
  recordType: string | null;
  allowDuplicates: boolean;
  allowPartial: boolean;
}

/** POST /bulk/import: the completed files of a bulk (all, or `fileSelection`) in one import. */
export interface BulkImportCommand {
  bulkJobId: string;
  tableId: string;
  fieldMapping: Record<string, string | null>;
  createMissingFields: boolean;
  skipErrors: boolean;
  fileSelection: string[] | null;
  includeSourceFile: boolean;
  recordType: string | null;
  allowDuplicates: boolean;
  /** Only these rows of the files named (file job id → row indices); other files: all rows. */
  rowIndices?: Record<string, number[]> | null;
}

export interface FileImportCount {
  job_id: string;
  filename: string | null;
  record_type: string;
  records_imported: number;
  records_failed: number;
  records_skipped: number;
}

export interface BulkImportResult extends Omit<ImportResult, 'job_id' | 'record_type'> {
  bulk_job_id: string;
  files: FileImportCount[];
}

export interface ImportResult {
  success: boolean;
  records_imported: number;
  records_failed: number;
  /** Rows already imported from this job into this table (not imported again). */
  records_skipped: number;
  errors: RowError[];
  /** True when more row errors happened than `errors` lists. */
  errors_truncated: boolean;
  created_field_ids: string[];
  job_id: string;
  table_id: string;
  record_type: string;
}

export interface PreviewResult {
  job_id: string;
  format: string | null;
  table_id: string | null;
  record_type: string;
  record_types: string[];
  source_fields: string[];
  source_field_types: Record<string, string>;
  target_fields: TableField[];
  suggested_mapping: Record<string, string>;
  sample_data: Record<string, unknown>[];
  total_records: number;
}

export interface BulkPreviewResult {
  bulk_job_id: string;
  table_id: string | null;
  record_types: string[];
  source_fields: string[];
  source_field_types: Record<string, string>;
  target_fields: TableField[];
  suggested_mapping: Record<string, string>;
  /** The first 20 rows across files, each with its job_id and row_index. */
  sample_data: Record<string, unknown>[];
  total_records: number;
  files: {
    job_id: string;
    filename: string | null;
    format: string | null;
    status: string;
    record_type: string | null;
    source_fields: string[];
    total_records: number;
  }[];
}

export const BOM_IMPORT_MODES = ['all', 'validated_only', 'new_only'] as const;
export type BomImportMode = (typeof BOM_IMPORT_MODES)[number];

/** POST /bom/import: BOM items posted directly (no job), into a table. */
export interface BomImportCommand {
  tableId: string;
  items: Record<string, unknown>[];
  fieldMapping: Record<string, string | null>;
  importMode: BomImportMode;
  batchSize: number;
  createMissingFields: boolean;
  skipErrors: boolean;
  sourceFile: string | null;
}

export interface BomImportResult extends Omit<ImportResult, 'job_id' | 'record_type'> {
  import_mode: BomImportMode;
}

/** The answer of an import above IMPORT_ASYNC_ROWS: 202, then GET status_url until final. */
export interface ImportAccepted {
  import_id: string;
  status: 'pending';
  total_rows: number;
  status_url: string;
}
