import { QueryFailedError } from 'typeorm';
import { isDependencyUnavailable } from './infrastructure-errors';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('recognising an unreachable database', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED')],
    ['connection reset', withCode('ECONNRESET')],
    [
      'admin shutdown (57P01)',
      withCode('57P01', 'terminating connection due to administrator command'),
    ],
    ['cannot connect now (57P03)', withCode('57P03', 'the database system is starting up')],
    ['a terminated connection', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    [
      "TypeORM's wrapper",
      new QueryFailedError('SELECT 1', [], withCode('57P01', 'terminating connection')),
    ],
    ['several refused addresses', new AggregateError([withCode('ECONNREFUSED')])],
  ])('%s is a dependency outage', (_, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a constraint violation', withCode('23505', 'duplicate key value')],
    ['a syntax error', withCode('42601')],
    ['a plain bug', new TypeError('x is undefined')],
    ['not an error', 'ECONNREFUSED'],
  ])('%s is not', (_, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
