/** TABLES_DRIVER=none and no host module: every import answers 501 with a clear message. */
import { Injectable } from '@nestjs/common';
import { TablesUnavailableError } from './table-errors';
import { TableDescription, TableGateway } from './table-gateway';

@Injectable()
export class UnavailableTableGateway implements TableGateway {
  describe(): Promise<TableDescription> {
    return Promise.reject(new TablesUnavailableError());
  }

  write<T>(): Promise<T> {
    return Promise.reject(new TablesUnavailableError());
  }
}
