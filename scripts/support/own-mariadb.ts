import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { freePort } from '../../test/support/built-app.js';

export interface OwnMariaDbOptions {
  /** Replication needs every server of a pair to have its own id. */
  serverId?: number;
  /** Keeps a binary log (row-based), so that a replica can follow this server. */
  binaryLog?: boolean;
}

/**
 * A MariaDB server of the script's own: its own data directory, port and socket, started and
 * stopped by PID. The shared server on 3306 is never touched. `createPrimary` and `createReplicaOf`
 * make a pair with binlog replication, for tests of reads that go to a replica.
 */
export class OwnMariaDb {
  private process?: ChildProcess;
  private exited?: Promise<void>;
  private log = '';

  private constructor(
    readonly dataDirectory: string,
    readonly port: number,
    private readonly options: OwnMariaDbOptions,
  ) {}

  static async create(options: OwnMariaDbOptions = {}): Promise<OwnMariaDb> {
    const dataDirectory = mkdtempSync(join(tmpdir(), 'ticketing-mariadb-'));
    execFileSync(
      'mariadb-install-db',
      ['--no-defaults', `--datadir=${dataDirectory}`, `--user=${process.env.USER ?? 'root'}`, '--skip-test-db', '--auth-root-authentication-method=normal'],
      { stdio: 'ignore', timeout: 60_000 },
    );
    const server = new OwnMariaDb(dataDirectory, await freePort(), options);
    await server.start();
    return server;
  }

  /** A server that replicas can follow. */
  static createPrimary(): Promise<OwnMariaDb> {
    return OwnMariaDb.create({ serverId: 1, binaryLog: true });
  }

  /**
   * A server replicating everything `primary` does from now on: databases created after this call
   * appear on it too, as fast as its SQL thread applies them.
   */
  static async createReplicaOf(primary: OwnMariaDb): Promise<OwnMariaDb> {
    const replica = await OwnMariaDb.create({ serverId: (primary.options.serverId ?? 1) + 1 });
    const [position] = await primary.rows('SHOW MASTER STATUS');
    await replica.query(
      `CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${primary.port}, MASTER_USER = 'root', MASTER_PASSWORD = '', ` +
        `MASTER_LOG_FILE = '${String(position.File)}', MASTER_LOG_POS = ${Number(position.Position)}, MASTER_CONNECT_RETRY = 1`,
    );
    await replica.query('START SLAVE');
    return replica;
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
        ...(this.options.serverId === undefined ? [] : [`--server-id=${this.options.serverId}`]),
        ...(this.options.binaryLog ? [`--log-bin=${join(this.dataDirectory, 'binlog')}`, '--binlog-format=ROW'] : ['--skip-log-bin']),
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
    await this.rows(sql);
  }

  async rows(sql: string): Promise<RowDataPacket[]> {
    const connection = await createConnection({ host: '127.0.0.1', port: this.port, user: 'root' });
    try {
      const [rows] = await connection.query<RowDataPacket[]>(sql);
      return rows;
    } finally {
      await connection.end();
    }
  }

  /** On a replica: resolves once it has applied everything `primary` had written when this was called. */
  async catchUpWith(primary: OwnMariaDb, timeoutSeconds = 10): Promise<void> {
    const [position] = await primary.rows('SHOW MASTER STATUS');
    const [waited] = await this.rows(`SELECT MASTER_POS_WAIT('${String(position.File)}', ${Number(position.Position)}, ${timeoutSeconds}) AS waited`);
    if (waited.waited === null || Number(waited.waited) < 0) throw new Error(`the replica did not catch up within ${timeoutSeconds} s:\n${this.log}`);
  }

  /**
   * Stops our mariadbd in its tracks (SIGSTOP): connections stay open and nothing answers, as on a
   * hung host. Resolves once the kernel reports it stopped: the signal is delivered asynchronously,
   * and a read sent at once could still be answered (seen in CI).
   */
  async freeze(): Promise<void> {
    const child = this.process;
    if (child?.pid === undefined) return;
    child.kill('SIGSTOP');
    const deadline = Date.now() + 5_000;
    while (!everyThreadStopped(child.pid)) {
      if (Date.now() > deadline) throw new Error(`mariadbd ${child.pid} did not stop within 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Lets a frozen mariadbd run on (SIGCONT). */
  thaw(): void {
    this.process?.kill('SIGCONT');
  }

  /** Kills our mariadbd (by its PID), as a crash would: connections drop, nothing is flushed. */
  async kill(): Promise<void> {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGKILL');
      await this.exited;
    }
  }

  /** Kills our mariadbd if it still runs and deletes its data directory. */
  async destroy(): Promise<void> {
    await this.kill();
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

/** Whether /proc shows every thread of the process stopped by a signal (state `T`), not just the first. */
function everyThreadStopped(pid: number): boolean {
  return readdirSync(`/proc/${pid}/task`).every((thread) => readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8').split(') ')[1][0] === 'T');
}
