import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { adminUrl } from '@district/kit/testing';
import { ensurePostgresOrEmbedded } from '../src/postgres';

/** A port nothing listens on (the kernel's pick, released at once). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function one<T>(url: string, sql: string): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const { rows } = await client.query(sql);
    return rows[0]?.v as T;
  } finally {
    await client.end();
  }
}

// The code path of infra/bootstrap.js (`npm run demo`, `npm test`) with a temporary cache dir and a free port.
describe('PostgreSQL for the two commands: the embedded fallback', () => {
  let cacheDir: string;
  beforeAll(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'district-cache-'));
    // As root the server runs as the `postgres` user, which must be able to enter the cache dir.
    chmodSync(cacheDir, 0o755);
  });
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('starts PostgreSQL 15 where nothing listens, keeps its data in the cache dir for the next run, and stops', async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    const first = await ensurePostgresOrEmbedded({ adminUrl: url, cacheDir });
    try {
      expect(first).toMatchObject({ url, startedHere: true });
      expect(await one<string>(url, 'select version() as v')).toMatch(/^PostgreSQL 15\.\d+ /);
      expect(existsSync(join(cacheDir, 'postgres-15', 'PG_VERSION'))).toBe(true);
      await one(url, "create table kept as select 'ёлка' as word");
    } finally {
      await first.stop();
    }
    await expect(one(url, 'select 1 as v')).rejects.toThrow(/ECONNREFUSED/);

    const second = await ensurePostgresOrEmbedded({ adminUrl: url, cacheDir });
    try {
      expect(second.startedHere).toBe(true);
      // The same data directory, and Cyrillic case mapping as on the machine's C.UTF-8 cluster.
      expect(await one<string>(url, 'select upper(word) as v from kept')).toBe('ЁЛКА');
    } finally {
      await second.stop();
    }
    await expect(one(url, 'select 1 as v')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('uses a PostgreSQL that already answers and leaves it running', async () => {
    const existing = await ensurePostgresOrEmbedded({ adminUrl: adminUrl(), cacheDir });
    expect(existing).toMatchObject({ url: adminUrl(), startedHere: false });
    await existing.stop();
    expect(await one<number>(adminUrl(), 'select 1 as v')).toBe(1);
  });

  it('starts nothing where something other than PostgreSQL listens', async () => {
    // Accepts and hangs up at once, like a busy port of another program.
    const other: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as AddressInfo;
    try {
      await expect(ensurePostgresOrEmbedded({ adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`, cacheDir })).rejects.toThrow(
        `PostgreSQL at postgres://postgres@127.0.0.1:${port}/postgres does not answer`,
      );
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
