/**
 * BOM items posted directly (the original's route 25), imported like job rows: `all`,
 * `validated_only` (items without part or positive quantity are reported, not imported) or
 * `new_only` (items whose part number the table already holds, or that repeat one earlier in the
 * data, are skipped). An Idempotency-Key replay answers the first response.
 */
import { Inject, Injectable } from '@nestjs/common';
import { TABLE_GATEWAY, TableGateway } from '../tables/table-gateway';
import { validateBomItems } from './bom-validation';
import { memoryRowStream } from './rows/row-stream';
import { ImportExecutor, MAX_LISTED_ERRORS } from './import-executor';
import { InvalidImportError, NewOnlyUnsupportedError } from './import-errors';
import { RowError } from './import-plan';
import { ImportRequestsRepository } from './import-requests.repository';
import { BomImportCommand, BomImportResult } from './import-types';
import { flattenObject } from './rows/source-row';

@Injectable()
export class BomImportService {
  constructor(
    @Inject(TABLE_GATEWAY) private readonly tables: TableGateway,
    private readonly executor: ImportExecutor,
    private readonly requests: ImportRequestsRepository,
  ) {}

  /**
   * BOM items posted directly (the original's route 25): `all`, `validated_only` (items without
   * part or positive quantity are reported, not imported) or `new_only` (items whose part number
   * the table already holds, or that repeat one earlier in the data, are skipped).
   */
  async importBom(
    ownerId: string,
    command: BomImportCommand,
    idempotencyKey: string | null,
  ): Promise<BomImportResult> {
    return this.requests.once(ownerId, idempotencyKey, async () => {
      const rows = command.items.map((item) => flattenObject(item));
      let indices = rows.map((_, i) => i);
      let excluded: RowError[] = [];
      let alreadyThere = 0;
      if (command.importMode === 'validated_only') {
        const checked = validateBomItems(rows);
        indices = checked.valid;
        excluded = checked.errors;
      } else if (command.importMode === 'new_only') {
        const fieldId = command.fieldMapping.part_number;
        if (!fieldId) {
          throw new InvalidImportError('import_mode new_only needs part_number in field_mapping', {
            field: 'field_mapping',
          });
        }
        if (!this.tables.existingValues) throw new NewOnlyUnsupportedError();
        const partNumber = (i: number) => {
          const value = rows[i].part_number;
          return value === null || value === undefined || String(value).trim() === ''
            ? null
            : String(value).trim();
        };
        const candidates = [...new Set(indices.map(partNumber).filter((v) => v !== null))];
        const seen = await this.tables.existingValues(
          ownerId,
          command.tableId,
          fieldId,
          candidates,
        );
        indices = indices.filter((i) => {
          const value = partNumber(i);
          if (value === null) return true;
          if (seen.has(value)) {
            alreadyThere += 1;
            return false;
          }
          seen.add(value);
          return true;
        });
      }
      const { outcome } = await this.executor.execute(
        ownerId,
        [
          {
            jobId: null,
            filename: command.sourceFile,
            recordType: 'bom_items',
            rows: memoryRowStream('bom_items', rows),
            indices,
          },
        ],
        { ...command, allowDuplicates: false },
        false,
      );
      const errors = [...excluded, ...outcome.errors].sort((a, b) => a.row_index - b.row_index);
      return {
        ...outcome,
        records_failed: outcome.records_failed + excluded.length,
        records_skipped: outcome.records_skipped + alreadyThere,
        errors: errors.slice(0, MAX_LISTED_ERRORS),
        errors_truncated: outcome.errors_truncated || errors.length > MAX_LISTED_ERRORS,
        import_mode: command.importMode,
      };
    });
  }
}
