/**
 * The webhook scenario's receiver, in a process of its own as an organiser's system would be (in
 * the load generator's process it would take the generator's CPU and lower the rate measured):
 * POST /hook takes a message and answers 204; GET /stats?event=ID answers how many distinct
 * bookings of the event were announced and the lag from commit to receipt (p50, p99, ms). PORT.
 */
import { createServer } from 'node:http';

const delivered = new Map<number, Set<string>>();
const lagsMs: number[] = [];

function percentile(sorted: number[], fraction: number): number | null {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

createServer((request, response) => {
  if (request.method === 'GET') {
    const eventId = Number(new URL(request.url ?? '/', 'http://receiver').searchParams.get('event'));
    const sorted = [...lagsMs].sort((a, b) => a - b);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ announced: delivered.get(eventId)?.size ?? 0, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) }));
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const message = JSON.parse(Buffer.concat(chunks).toString()) as { timestamp: string; data: { event_id: number; reference: string } };
    const references = delivered.get(message.data.event_id) ?? new Set<string>();
    if (!references.has(message.data.reference)) lagsMs.push(Date.now() - Date.parse(message.timestamp));
    delivered.set(message.data.event_id, references.add(message.data.reference));
    response.writeHead(204).end();
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
