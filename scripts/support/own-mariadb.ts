import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from '../../test/support/built-app.js';

/**
 * A MariaDB server of the script's own: its own data directory, port and socket, started and
 * stopped by PID. The shared server on 3306 is never touched.
 */
export class OwnMariaDb {
  private process?: ChildProcess;
  private exited?: Promise<void>;
  private log = '';

  private constructor(
    readonly dataDirectory: string,
    readonly port: number,
  ) {}

  static async create(): Promise<OwnMariaDb> {
    const dataDirectory = mkdtempSync(join(tmpdir(), 'ticketing-mariadb-'));
    execFileSync(
      'mariadb-install-db',
      ['--no-defaults', `--datadir=${dataDirectory}`, `--user=${process.env.USER ?? 'root'}`, '--skip-test-db', '--auth-root-authentication-method=normal'],
      { stdio: 'ignore', timeout: 60_000 },
    );
    const server = new OwnMariaDb(dataDirectory, await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** Starts mariadbd and resolves once it accepts connections; returns when that was (ms). */
  async start(): Promise<number> {
    const child = spawn(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        `--datadir=${this.dataDirectory}`,
        `--port=${this.port}`,
        `--socket=${join(this.dataDirectory, 'mariadbd.sock')}`,
        `--pid-file=${join(this.dataDirectory, 'mariadbd.pid')}`,
        '--bind-address=127.0.0.1',
        `--user=${process.env.USER ?? 'root'}`,
        '--skip-grant-tables',
        '--innodb-buffer-pool-size=64M',
        '--skip-log-bin',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-4000)));
    this.process = child;
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`mariadbd exited at start-up:\n${this.log}`);
      if (await this.accepts()) return Date.now();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`mariadbd did not accept connections within 60 s:\n${this.log}`);
  }

  /** A clean shutdown (SIGTERM), as `systemctl stop` or a container stop does. */
  async stop(): Promise<void> {
    if (!this.process || this.process.exitCode !== null) return;
    this.process.kill('SIGTERM');
    await this.exited;
  }

  async query(sql: string): Promise<void> {
    const connection = await createConnection({ host: '127.0.0.1', port: this.port, user: 'root' });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  }

  /** Kills our mariadbd (by its PID) if it still runs and deletes its data directory. */
  async destroy(): Promise<void> {
    if (this.process && this.process.exitCode === null) {
      this.process.kill('SIGKILL');
      await this.exited;
    }
    rmSync(this.dataDirectory, { recursive: true, force: true });
  }

  private async accepts(): Promise<boolean> {
    try {
      await this.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
}
