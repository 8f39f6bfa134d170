import { jest } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AllExceptionsFilter } from './all-exceptions.filter.js';

function answer(exception: unknown): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const sent = { status: 0, headers: {} as Record<string, string>, body: {} as Record<string, unknown> };
  const reply = {
    raw: {},
    status: jest.fn((status: number) => ((sent.status = status), reply)),
    headers: jest.fn((headers: Record<string, string>) => ((sent.headers = headers), reply)),
    send: jest.fn((body: Record<string, unknown>) => ((sent.body = body), reply)),
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({}) }) } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(exception, host);
  return sent;
}

describe('AllExceptionsFilter', () => {
  it('answers a refused database connection 503 DATABASE_UNAVAILABLE with Retry-After', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
    const { status, headers, body } = answer(refused);
    expect(status).toBe(503);
    expect(headers).toEqual({ 'Retry-After': '1' });
    expect(body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'DATABASE_UNAVAILABLE',
      message: 'The database is unavailable at the moment; please try again shortly.',
    });
  });

  it('answers a connection lost mid-query the same way, without internals', () => {
    const lost = new QueryFailedError('SELECT secret FROM t', [], Object.assign(new Error('Connection lost'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }));
    const { status, body } = answer(lost);
    expect(status).toBe(503);
    expect(body.code).toBe('DATABASE_UNAVAILABLE');
    expect(JSON.stringify(body)).not.toContain('secret');
  });

  it.each(['ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE'])('answers a unique key that a race got past (%s) 409 ALREADY_EXISTS, without internals', (code) => {
    const { status, body } = answer(new QueryFailedError('INSERT INTO secret', [], Object.assign(new Error('Duplicate entry'), { code })));
    expect(status).toBe(409);
    expect(body).toEqual({ statusCode: 409, error: 'Conflict', code: 'ALREADY_EXISTS', message: 'Something with the same unique value already exists; nothing was changed.' });
  });

  it('still answers any other failure 500 INTERNAL_ERROR with an error id', () => {
    const { status, body } = answer(new QueryFailedError('SELECT 1', [], Object.assign(new Error('no table'), { code: 'ER_NO_SUCH_TABLE' })));
    expect(status).toBe(500);
    expect(body.code).toBe('INTERNAL_ERROR');
    expect(typeof body.error_id).toBe('string');
  });
});
