import { connect } from 'node:net';
import { ErrorCode } from '../src/common/error-code.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * What reaches the server below the API: requests Node's parser refuses, URLs the router refuses,
 * clients too slow to finish a request, and the files under /docs. Raw sockets, since an HTTP client
 * would not send most of these. Every answer has the error shape and the security headers.
 */
const TIMEOUT_SECONDS = 1;
let testApp: TestApp;
let port: number;

beforeAll(async () => {
  testApp = await createTestApp({ HTTP_HEADERS_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS), HTTP_REQUEST_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) });
  port = (testApp.app.getHttpServer().address() as { port: number }).port;
});

afterAll(async () => {
  await testApp.close();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: Record<string, unknown>;
  ms: number;
}

/**
 * Writes `head` to a fresh connection, then `drip` every 100 ms while the connection is open, and
 * reads until the server closes it (a request sent whole asks for that with Connection: close).
 */
function sendRaw(head: string, drip?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const startedAt = performance.now();
    const dripping = drip === undefined ? undefined : setInterval(() => socket.write(drip), 100);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(dripping);
      const raw = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = raw.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const text = rest.join('\r\n\r\n');
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        reject(new Error(`not a JSON answer: ${raw.slice(0, 300)}`));
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text, body, ms: performance.now() - startedAt });
    });
    socket.write(Buffer.from(head, 'latin1'));
  });
}

const request = (line: string, headers = 'Host: localhost\r\n') => `${line}\r\n${headers}Connection: close\r\n\r\n`;

/** The documented shape, a documented code, the security headers, and nothing of the request. */
function expectErrorAnswer(answer: RawAnswer, status: number, code: ErrorCode, sent = ''): void {
  expect(answer.status).toBe(status);
  expect(Object.keys(answer.body).sort()).toEqual(['code', 'error', 'message', 'statusCode']);
  expect(answer.body).toMatchObject({ statusCode: status, code });
  expect(answer.headers['content-type']).toContain('application/json');
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
  expect(answer.text).not.toMatch(/FST_|Client Error|HPE_/);
  if (sent !== '') expect(answer.text).not.toContain(sent);
}

describe('requests Node cannot parse', () => {
  it.each([
    ['a NUL in a header', 'GET /events HTTP/1.1\r\nHost: localhost\r\nX-Note: a\0b\r\n\r\n'],
    ['a bare CR in a header', 'GET /events HTTP/1.1\r\nHost: localhost\r\nX-Note: a\rb\r\n\r\n'],
    ['an obs-folded header', 'GET /events HTTP/1.1\r\nHost: localhost\r\nX-Note: a\r\n  b\r\n\r\n'],
    ['Content-Length with Transfer-Encoding', 'POST /events/1/book HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['a bad chunk size', 'POST /events/1/book HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'],
    ['an unknown method', 'BREW /events HTTP/1.1\r\nHost: localhost\r\n\r\n'],
    ['raw UTF-8 in the path', 'GET /events/\xc3\xa9 HTTP/1.1\r\nHost: localhost\r\n\r\n'],
  ])('answers %s 400 MALFORMED_REQUEST and closes the connection', async (_what, raw) => {
    expectErrorAnswer(await sendRaw(raw), 400, ErrorCode.MalformedRequest);
  });

  it('answers headers over 16 KiB 431 HEADERS_TOO_LARGE', async () => {
    const answer = await sendRaw(request('GET /events HTTP/1.1', `Host: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n`));
    expectErrorAnswer(answer, 431, ErrorCode.HeadersTooLarge, 'aaaa');
  });

  it('answers an HTTP/1.1 request without a Host header 400 MALFORMED_REQUEST in the error shape', async () => {
    const answer = await sendRaw(request('GET /events HTTP/1.1', ''));
    expectErrorAnswer(answer, 400, ErrorCode.MalformedRequest);
    expect(answer.body.message).toBe('An HTTP/1.1 request must carry a Host header.');
  });
});

describe('URLs the router refuses', () => {
  it('answers a path parameter over 100 characters 414 URI_TOO_LONG without echoing the URL', async () => {
    const reference = 'R'.repeat(101);
    const answer = await sendRaw(request(`GET /bookings/${reference} HTTP/1.1`));
    expectErrorAnswer(answer, 414, ErrorCode.UriTooLong, reference);
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(['/events/%', '/events/%zz', '/events/%FF%FE', '/bookings/%ED%A0%80ABCDEFGHJ'])('answers %s 400 MALFORMED_REQUEST without echoing it', async (path) => {
    expectErrorAnswer(await sendRaw(request(`GET ${path} HTTP/1.1`)), 400, ErrorCode.MalformedRequest, path);
  });
});

describe(`requests that do not arrive in time (bound set to ${TIMEOUT_SECONDS} s)`, () => {
  // Node checks the bounds once a second, so an answer comes between one and two bounds after the start.
  const latestMs = (TIMEOUT_SECONDS + 1) * 1000 + 1000;

  it('answers a body sent a byte at a time 408 REQUEST_TIMEOUT and closes the connection', async () => {
    const answer = await sendRaw('POST /events/1/book HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{', ' ');
    expectErrorAnswer(answer, 408, ErrorCode.RequestTimeout);
    expect(answer.ms).toBeGreaterThanOrEqual(TIMEOUT_SECONDS * 1000 - 50);
    expect(answer.ms).toBeLessThan(latestMs);
  });

  it('answers headers sent a line at a time 408 REQUEST_TIMEOUT', async () => {
    const answer = await sendRaw('GET /events HTTP/1.1\r\nHost: localhost\r\n', 'X-Slow: 1\r\n');
    expectErrorAnswer(answer, 408, ErrorCode.RequestTimeout);
    expect(answer.ms).toBeLessThan(latestMs);
  });
});

describe('the files under /docs', () => {
  it('serves the page and every file it loads, and nothing else of swagger-ui-dist', async () => {
    const page = await testApp.http().get('/docs').expect(200);
    const loaded = [...page.text.matchAll(/(?:href|src)="\.\/docs\/([^"]+)"/g)].map(([, file]) => file);

    expect(loaded.length).toBeGreaterThanOrEqual(5);
    for (const file of loaded) {
      expect({ file, status: (await testApp.http().get(`/docs/${file}`)).status }).toEqual({ file, status: 200 });
    }
    for (const file of ['package.json', 'README.md', 'index.js', 'swagger-ui-bundle.js.map', 'swagger-ui.js', 'absolute-path.js', 'oauth2-redirect.html', 'LICENSE']) {
      const response = await testApp.http().get(`/docs/${file}`);
      expect({ file, status: response.status, code: response.body.code }).toEqual({ file, status: 404, code: 'NOT_FOUND' });
    }
  });

  it('answers a path that climbs out of /docs 404 NOT_FOUND', async () => {
    expectErrorAnswer(await sendRaw(request('GET /docs/../package.json HTTP/1.1')), 404, ErrorCode.NotFound);
  });
});
