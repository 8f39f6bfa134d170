import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable.js';

function driverError(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(code), { code, ...extra });
}

function queryFailed(error: Error): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], error);
}

describe('isDatabaseUnavailable', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR'])(
    'recognises %s from the driver, bare or wrapped by TypeORM',
    (code) => {
      expect(isDatabaseUnavailable(driverError(code))).toBe(true);
      expect(isDatabaseUnavailable(queryFailed(driverError(code)))).toBe(true);
    },
  );

  it('recognises an error mysql2 marks fatal: the connection it happened on is gone', () => {
    expect(isDatabaseUnavailable(queryFailed(driverError('ER_UNKNOWN', { fatal: true })))).toBe(true);
  });

  it("recognises the code-less errors after a connection or the pool has closed", () => {
    expect(isDatabaseUnavailable(new Error("Can't add new command when connection is in closed state"))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Pool is closed.'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection is not established with mysql database'))).toBe(true);
  });

  it('recognises a refused connect reported as an AggregateError of each address tried', () => {
    const aggregate = new AggregateError([driverError('ECONNREFUSED'), driverError('ECONNREFUSED')], 'connect failed');
    expect(isDatabaseUnavailable(aggregate)).toBe(true);
  });

  it('recognises the failure in an error cause', () => {
    expect(isDatabaseUnavailable(new Error('ping failed', { cause: driverError('ECONNREFUSED') }))).toBe(true);
  });

  it.each([
    ['a lock wait timeout', queryFailed(driverError('ER_LOCK_WAIT_TIMEOUT'))],
    ['a duplicate key', queryFailed(driverError('ER_DUP_ENTRY'))],
    ['a bug', new TypeError('undefined is not a function')],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
  ])('leaves %s alone', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('stops on a cause that refers back to itself', () => {
    const looping: Error & { cause?: unknown } = new Error('loop');
    looping.cause = { cause: looping };
    expect(isDatabaseUnavailable(looping)).toBe(false);
  });
});
