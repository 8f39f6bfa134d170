/**
 * The limit: bare Fastify answering the app's own bytes for each benchmarked URL from memory, no
 * database, no framework beyond Fastify, no hooks — the most this machine's HTTP stack can do for
 * those answers. A request whose If-None-Match names the answer's ETag gets 304 without a body,
 * so the conditional scenario has its limit too. LIMIT_ANSWERS names a JSON file of
 * { [url]: { body, etag, cacheControl, link? } } taken from the app just before (bench/run.ts); PORT.
 */
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';

interface Answer {
  body: string;
  etag: string;
  cacheControl: string;
  link?: string;
}

const file = process.env.LIMIT_ANSWERS;
if (!file) throw new Error('LIMIT_ANSWERS must name the answers file');
const answers = new Map(
  Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Answer>).map(([url, answer]) => [url, { ...answer, bytes: Buffer.from(answer.body) }]),
);

const app = Fastify({ logger: false });

app.get('/*', (request, reply) => {
  const answer = answers.get(request.url);
  if (!answer) return reply.code(404).send();
  void reply.header('etag', answer.etag).header('cache-control', answer.cacheControl);
  if (answer.link) void reply.header('link', answer.link);
  if (request.headers['if-none-match'] === answer.etag) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(answer.bytes);
});

await app.listen({ port: Number(process.env.PORT ?? 3104), host: '127.0.0.1' });
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
