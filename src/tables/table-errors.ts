/** Domain errors of the tables port (codes mapped to statuses by the HTTP error filter). */
import { DomainError } from '../common/domain-error';

/** Missing, or not the user's: the same answer, so ids of other users' tables leak nothing. */
export class TableNotFoundError extends DomainError {
  constructor(tableId: string) {
    super('TABLE_NOT_FOUND', `Table ${tableId} not found`, { table_id: tableId });
  }
}

export class TableForbiddenError extends DomainError {
  constructor(tableId: string) {
    super('FORBIDDEN', `Table ${tableId} is read-only for this user`, { table_id: tableId });
  }
}

export class FieldNotFoundError extends DomainError {
  constructor(tableId: string, fieldIds: string[]) {
    super('FIELD_NOT_FOUND', `Unknown field(s) in table ${tableId}: ${fieldIds.join(', ')}`, {
      table_id: tableId,
      field_ids: fieldIds,
    });
  }
}

export class TablesUnavailableError extends DomainError {
  constructor() {
    super(
      'NOT_IMPLEMENTED',
      'Importing into tables is switched off (TABLES_DRIVER=none) and no host tables module provides one',
    );
  }
}
