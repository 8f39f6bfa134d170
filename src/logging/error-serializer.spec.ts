import { QueryFailedError } from 'typeorm';
import { serializeError } from './error-serializer.js';

/** What mysql2 rejects a duplicate with: the SQL with its values inlined, and the value quoted in the message. */
function duplicateEntry(value: string): QueryFailedError {
  const driverError = Object.assign(new Error(`Duplicate entry '${value}' for key 'uq_organizers_name'`), {
    code: 'ER_DUP_ENTRY',
    errno: 1062,
    sqlState: '23000',
    sql: `INSERT INTO organizers (name) VALUES ('${value}')`,
    sqlMessage: `Duplicate entry '${value}' for key 'uq_organizers_name'`,
  });
  return new QueryFailedError('INSERT INTO organizers (name) VALUES (?)', [value], driverError);
}

describe('serializeError', () => {
  it.each(['ada@example.com', "O'Brien', 'x"])('writes a failed statement with placeholders and codes, without the value %j', (value) => {
    const written = serializeError(duplicateEntry(value));

    expect(written).toEqual({
      type: 'QueryFailedError',
      message: "Duplicate entry '…'",
      stack: expect.stringMatching(/^QueryFailedError: Duplicate entry '…'\n {4}at /),
      code: 'ER_DUP_ENTRY',
      errno: 1062,
      sqlState: '23000',
      statement: 'INSERT INTO organizers (name) VALUES (?)',
    });
    expect(JSON.stringify(written)).not.toContain(value.slice(0, 4));
  });

  it('writes any other error as pino does, message and stack included', () => {
    expect(serializeError(new Error('disk on fire'))).toEqual(expect.objectContaining({ type: 'Error', message: 'disk on fire', stack: expect.stringContaining('disk on fire') }));
  });
});
