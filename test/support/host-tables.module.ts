/**
 * A host application's own tables, as small as it gets: a global module that provides the
 * TABLE_GATEWAY token. It keeps every write it receives, so tests can see the rows arrive.
 */
import { Global, Injectable, Module } from '@nestjs/common';
import { TableForbiddenError, TableNotFoundError } from '../../src/tables/table-errors';
import {
  NewField,
  RecordToInsert,
  TABLE_GATEWAY,
  TableDescription,
  TableField,
  TableGateway,
  TableWriter,
} from '../../src/tables/table-gateway';

interface HostTable extends TableDescription {
  ownerId: string;
}

@Injectable()
export class RecordingTableGateway implements TableGateway {
  readonly received: { tableId: string; records: RecordToInsert[] }[] = [];
  readonly tables = new Map<string, HostTable>([
    [
      'host-parts',
      {
        id: 'host-parts',
        ownerId: 'alice',
        name: 'Parts (host)',
        writable: true,
        fields: [
          { id: 'hf-pn', name: 'Part number', type: 'text', description: null },
          { id: 'hf-qty', name: 'Quantity', type: 'number', description: null },
        ],
      },
    ],
    [
      'host-archive',
      { id: 'host-archive', ownerId: 'alice', name: 'Archive', writable: false, fields: [] },
    ],
  ]);

  describe(ownerId: string, tableId: string): Promise<TableDescription> {
    const table = this.tables.get(tableId);
    if (!table || table.ownerId !== ownerId) {
      return Promise.reject(new TableNotFoundError(tableId));
    }
    return Promise.resolve(table);
  }

  async write<T>(
    ownerId: string,
    tableId: string,
    work: (writer: TableWriter) => Promise<T>,
  ): Promise<T> {
    const table = await this.describe(ownerId, tableId);
    if (!table.writable) throw new TableForbiddenError(tableId);
    const writer: TableWriter = {
      createFields: (fields: NewField[]) => {
        const created: TableField[] = fields.map((f, i) => ({
          id: `hf-new-${table.fields.length + i}`,
          name: f.name,
          type: f.type,
          description: f.description ?? null,
        }));
        table.fields.push(...created);
        return Promise.resolve(created);
      },
      insertRecords: (records: RecordToInsert[]) => {
        this.received.push({ tableId, records });
        return Promise.resolve({ inserted: records.length, duplicateRowIndices: [] });
      },
    };
    return work(writer);
  }
}

@Global()
@Module({
  providers: [
    RecordingTableGateway,
    { provide: TABLE_GATEWAY, useExisting: RecordingTableGateway },
  ],
  exports: [TABLE_GATEWAY, RecordingTableGateway],
})
export class HostTablesModule {}
