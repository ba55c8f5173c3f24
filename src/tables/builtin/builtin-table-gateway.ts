/** The TableGateway on the built-in store: one PostgreSQL transaction per write. */
import { Injectable } from '@nestjs/common';
import { TableForbiddenError } from '../table-errors';
import { TableDescription, TableGateway, TableWriter } from '../table-gateway';
import { BuiltinTableStore, LedgerCache } from './builtin-table-store';

@Injectable()
export class BuiltinTableGateway implements TableGateway {
  constructor(private readonly store: BuiltinTableStore) {}

  async describe(ownerId: string, tableId: string): Promise<TableDescription> {
    const table = await this.store.getTable(ownerId, tableId);
    return { id: table.id, name: table.name, fields: table.fields, writable: !table.readOnly };
  }

  async write<T>(
    ownerId: string,
    tableId: string,
    work: (writer: TableWriter) => Promise<T>,
  ): Promise<T> {
    return this.store.inTransaction(async (tx) => {
      const table = await this.store.getTable(ownerId, tableId, tx);
      if (table.readOnly) throw new TableForbiddenError(tableId);
      const ledgers: LedgerCache = new Map();
      return work({
        createFields: (fields) => this.store.addFields(tx, table.id, fields),
        insertRecords: (records, { allowDuplicates }) =>
          this.store.insertRecords(tx, table.id, records, allowDuplicates, ledgers),
        transaction: tx,
      });
    });
  }

  async existingValues(
    ownerId: string,
    tableId: string,
    fieldId: string,
    values: string[],
  ): Promise<Set<string>> {
    const table = await this.store.getTable(ownerId, tableId);
    return this.store.existingValues(table.id, fieldId, values);
  }
}
