/** What a host application uses to provide its own tables: the token, the port and its errors. */
export * from './table-gateway';
export * from './table-errors';
export * from './field-types';
