import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { TEST_ORGANIZER_API_KEY } from './organizer-key.js';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'main.js');

function newestMtime(directory: string): number {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((newest, entry) => Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);
}

const BUILD_LOCK = join(ROOT, '.build.lock');
const STALE_LOCK_MS = 5 * 60_000;

function builtAt(): number {
  try {
    return statSync(MAIN).mtimeMs;
  } catch {
    return 0; // not built yet
  }
}

/**
 * Builds dist/ when it is missing or older than src/, so the test runs what `npm run build` makes.
 * Jest runs several spec files at once, and `nest build` empties dist/ first: a directory lock
 * keeps one worker from deleting the files another worker's app is loading.
 */
export function ensureBuilt(): void {
  if (builtAt() >= newestMtime(join(ROOT, 'src'))) return;
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      if (Date.now() - (statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > STALE_LOCK_MS) rmSync(BUILD_LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${BUILD_LOCK} is still held`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (builtAt() < newestMtime(join(ROOT, 'src'))) execSync('npm run build', { cwd: ROOT, stdio: 'ignore' });
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface BuiltApp {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts `node dist/main.js` as production does (with `nodeOptions` before the script, if given),
 * and resolves once it reports ready.
 */
export async function startBuiltApp(environment: Record<string, string>, nodeOptions: string[] = []): Promise<BuiltApp> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeOptions, MAIN], {
    cwd: ROOT,
    // Load generators send many writes from one address, and create events with the test key.
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      ORGANIZER_API_KEY: TEST_ORGANIZER_API_KEY,
      RATE_LIMIT_PER_MINUTE: '0',
      ...environment,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`The app exited at start-up:\n${output}`);
    const ready = await fetch(`${baseUrl}/health/ready`).then((response) => response.ok, () => false);
    if (ready) return { child, baseUrl, output: () => output, exited };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`The app did not become ready:\n${output}`);
}
