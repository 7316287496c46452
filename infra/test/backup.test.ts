/**
 * Backup and restore drill against the real PostgreSQL: a throw-away school
 * database with two schemas (Russian text, NULLs, timestamps, jsonb, a quoted
 * table name, an empty table, an append-only audit table guarded by
 * triggers), dumped, restored and compared row by row.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { adminUrl, createTestDatabase, databaseUrl, dropDatabase } from '@district/kit/testing';
import { backupDatabase, compareDatabases, restoreDatabase, tableCounts, type BackupResult } from '../src/backup/backup';
import { parseArgs as parseBackupArgs } from '../src/backup/backup-cli';
import { formatChecks, parseArgs as parseRestoreArgs } from '../src/backup/restore-cli';
import { findPgTool } from '../src/backup/pg-tools';

const SEED = `
create schema people;
create schema journal;

create table people.student (
  id serial primary key,
  full_name text not null,
  birth_date date,
  note text,
  profile jsonb,
  created_at timestamptz not null default now()
);
insert into people.student (full_name, birth_date, note, profile, created_at) values
  ('Иванова Мария Петровна', '2012-03-04', null, '{"class": "5А", "hobbies": ["шахматы", "чтение"]}', '2024-09-01 08:30:00+03'),
  ('Ёлкин Артём', null, 'переведён из школы № 12; "кавычки", запятые, (скобки) | черта', null, '2024-09-02 09:00:00.123456+03'),
  ('Smith, John', '2011-12-31', '', '{}', '2024-09-03T10:00:00Z');

create table journal.mark (
  id bigserial primary key,
  student_id int not null references people.student (id),
  value smallint check (value between 1 and 5),
  weight numeric(3, 1) not null default 1,
  lesson_day date not null,
  entered_at timestamp,
  comment text
);
insert into journal.mark (student_id, value, weight, lesson_day, entered_at, comment) values
  (1, 5, 1, '2024-09-05', '2024-09-05 10:15:00', 'Отлично'),
  (1, 4, 2, '2024-09-06', null, null),
  (2, null, 1, '2024-09-06', '2024-09-06 23:59:59.999999', 'н — не был'),
  (3, 3, 1.5, '2024-09-07', '2024-09-07 08:00:00', '');

create table journal."Term Grade" (student_id int, term int, grade text, primary key (student_id, term));
insert into journal."Term Grade" values (1, 1, 'отл.'), (2, 1, null);

create table journal.empty_table (id int);

-- Append-only audit, hash-chained by an insert trigger: if the restore fired
-- triggers while loading data, hash and at would change (or the load fail).
create table journal.audit (
  id bigserial primary key,
  at timestamptz not null default clock_timestamp(),
  actor text not null,
  old jsonb,
  new jsonb,
  reason text,
  prev_hash text,
  hash text
);
create function journal.audit_chain() returns trigger language plpgsql as $$
begin
  new.at := clock_timestamp();
  new.prev_hash := (select hash from journal.audit order by id desc limit 1);
  new.hash := md5(coalesce(new.prev_hash, '') || new.actor || coalesce(new.new::text, '') || new.at::text);
  return new;
end $$;
create function journal.audit_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'journal.audit is append-only (% refused)', tg_op;
end $$;
create trigger audit_chain before insert on journal.audit for each row execute function journal.audit_chain();
create trigger audit_append_only before update or delete on journal.audit for each row execute function journal.audit_append_only();
create trigger audit_no_truncate before truncate on journal.audit for each statement execute function journal.audit_append_only();
insert into journal.audit (actor, old, new, reason) values ('s001.teacher', null, '{"value": 5}', null);
insert into journal.audit (actor, old, new, reason) values ('s001.teacher', '{"value": 5}', '{"value": 4}', 'ошибка ввода');
insert into journal.audit (actor, old, new, reason) values ('s001.deputy', null, '{"approved": true}', 'согласовано');
`;

async function query<T extends object = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('backup and restore drill', () => {
  let src: { name: string; url: string; drop(): Promise<void> };
  let outDir: string;
  let backup: BackupResult;
  const databases: string[] = [];
  const copyName = () => `${src.name}_copy`;

  beforeAll(async () => {
    src = await createTestDatabase('backup');
    databases.push(src.name);
    await query(src.url, SEED);
    outDir = mkdtempSync(path.join(tmpdir(), 'district-backup-'));
  });

  afterAll(async () => {
    // every database this test created, staging copies of --replace included
    const rows = src ? await query<{ datname: string }>(adminUrl(), 'select datname from pg_database where datname like $1', [`${src.name}%`]) : [];
    for (const name of new Set([...databases, ...rows.map((r) => r.datname)])) await dropDatabase(name);
    if (src) await query(adminUrl(), `drop role if exists ${src.name}_reader`);
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('writes a timestamped dump, checked by pg_restore --list, with a manifest of every table', async () => {
    backup = await backupDatabase({ school: 's001', database: src.name, outDir, now: new Date('2026-01-02T03:04:05.678Z') });

    expect(backup.file).toBe(path.join(outDir, 's001', 's001-20260102T030405Z.dump'));
    expect(backup.manifestFile).toBe(`${backup.file}.json`);
    expect(readdirSync(path.join(outDir, 's001')).sort()).toEqual(['s001-20260102T030405Z.dump', 's001-20260102T030405Z.dump.json']);
    expect(readFileSync(backup.file).subarray(0, 5).toString()).toBe('PGDMP'); // custom format

    const manifest = JSON.parse(readFileSync(backup.manifestFile, 'utf8'));
    expect(manifest).toEqual(backup.manifest);
    expect(manifest).toMatchObject({
      school: 's001',
      database: src.name,
      file: 's001-20260102T030405Z.dump',
      created_at: '2026-01-02T03:04:05.678Z',
      size: readFileSync(backup.file).length,
      sha256: sha256(backup.file),
      encoding: 'UTF8',
    });
    expect(manifest.pg_dump_version).toMatch(/^pg_dump \(PostgreSQL\) \d+/);
    expect(manifest.tables).toEqual([
      { schema: 'journal', table: 'Term Grade', rows: 2 },
      { schema: 'journal', table: 'audit', rows: 3 },
      { schema: 'journal', table: 'empty_table', rows: 0 },
      { schema: 'journal', table: 'mark', rows: 4 },
      { schema: 'people', table: 'student', rows: 3 },
    ]);
    expect(await tableCounts(src.url)).toEqual(manifest.tables);

    const list = execFileSync(findPgTool('pg_restore'), ['--list', backup.file], { encoding: 'utf8' });
    expect(list).toMatch(/ TABLE DATA journal audit /);
    expect(list).toMatch(/ TRIGGER journal audit audit_append_only /);
  });

  it('restores into a new database that equals the original row by row, triggers included', async () => {
    const restored = await restoreDatabase({ file: backup.file, into: copyName() });
    databases.push(copyName());

    expect(restored).toMatchObject({ database: copyName(), url: databaseUrl(copyName()), replaced: false, ok: true });
    expect(restored.checks).toEqual([
      { table: 'journal.Term Grade', expected: 2, restored: 2, ok: true },
      { table: 'journal.audit', expected: 3, restored: 3, ok: true },
      { table: 'journal.empty_table', expected: 0, restored: 0, ok: true },
      { table: 'journal.mark', expected: 4, restored: 4, ok: true },
      { table: 'people.student', expected: 3, restored: 3, ok: true },
    ]);
    expect(formatChecks(restored.checks)).toContain('journal.Term Grade');

    expect(await compareDatabases(src.url, restored.url)).toEqual([]);
    const [maria] = await query<{ full_name: string; profile: unknown }>(restored.url, 'select full_name, profile from people.student where id = 1');
    expect(maria).toEqual({ full_name: 'Иванова Мария Петровна', profile: { class: '5А', hobbies: ['шахматы', 'чтение'] } });

    // the audit stays append-only in the copy
    await expect(query(restored.url, "update journal.audit set actor = 'x' where id = 1")).rejects.toThrow(/append-only \(UPDATE refused\)/);
    await expect(query(restored.url, 'delete from journal.audit where id = 1')).rejects.toThrow(/append-only \(DELETE refused\)/);
    await expect(query(restored.url, 'truncate journal.audit')).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
  });

  it('finds exactly the table whose row changed', async () => {
    await query(databaseUrl(copyName()), "update people.student set note = 'изменено' where id = 2");
    const diffs = await compareDatabases(src.url, databaseUrl(copyName()));
    expect(diffs.map((d) => [d.table, d.kind])).toEqual([['people.student', 'content']]);

    // a NULL turned into an empty string is a difference too
    await query(
      databaseUrl(copyName()),
      `update people.student set note = 'переведён из школы № 12; "кавычки", запятые, (скобки) | черта' where id = 2;
       update journal.mark set comment = '' where id = 2`,
    );
    expect((await compareDatabases(src.url, databaseUrl(copyName()))).map((d) => [d.table, d.kind])).toEqual([['journal.mark', 'content']]);
  });

  it('refuses to restore into an existing database unless told to replace it', async () => {
    await expect(restoreDatabase({ file: backup.file, into: copyName() })).rejects.toThrow(
      `database "${copyName()}" already exists; pass --replace to overwrite it`,
    );
    await expect(restoreDatabase({ file: backup.file, into: 'template1', replace: true })).rejects.toThrow(/refusing/);

    const replaced = await restoreDatabase({ file: backup.file, into: copyName(), replace: true });
    expect(replaced).toMatchObject({ database: copyName(), replaced: true, ok: true });
    expect(await compareDatabases(src.url, replaced.url)).toEqual([]);
    const staging = await query(adminUrl(), 'select datname from pg_database where datname like $1', [`${copyName()}_restore_%`]);
    expect(staging).toEqual([]);

    // sequences came back too: the next student gets id 4 and the comparison sees both changes
    const [added] = await query<{ id: number }>(replaced.url, "insert into people.student (full_name) values ('Новый Ученик') returning id");
    expect(added.id).toBe(4);
    expect((await compareDatabases(src.url, replaced.url)).map((d) => [d.table, d.kind])).toEqual([
      ['people.student', 'rows'],
      ['people.student_id_seq', 'sequence'],
    ]);
  });

  it('reports row counts that differ from the manifest and keeps the copy for inspection', async () => {
    const manifest = JSON.parse(readFileSync(backup.manifestFile, 'utf8'));
    manifest.tables.find((t: { table: string }) => t.table === 'mark').rows = 5;
    const forged = path.join(outDir, 'forged.json');
    writeFileSync(forged, JSON.stringify(manifest));
    const into = `${src.name}_counts`;
    databases.push(into);

    const result = await restoreDatabase({ file: backup.file, into, manifestFile: forged });
    expect(result.ok).toBe(false);
    expect(result.checks.filter((c) => !c.ok)).toEqual([{ table: 'journal.mark', expected: 5, restored: 4, ok: false }]);
    expect(formatChecks(result.checks)).toMatch(/journal\.mark\s+5\s+4\s+DIFFERS/);
    expect(await query(adminUrl(), 'select 1 from pg_database where datname = $1', [into])).toHaveLength(1);
  });

  it('refuses a damaged dump before creating anything', async () => {
    const damaged = path.join(outDir, 'damaged.dump');
    const bytes = readFileSync(backup.file);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(damaged, bytes);
    copyFileSync(backup.manifestFile, `${damaged}.json`);
    const into = `${src.name}_damaged`;
    databases.push(into);

    await expect(restoreDatabase({ file: damaged, into })).rejects.toThrow(/does not match its manifest/);
    await expect(restoreDatabase({ file: path.join(outDir, 'nothing.dump'), into })).rejects.toThrow(/not found/);
    expect(await query(adminUrl(), 'select 1 from pg_database where datname = $1', [into])).toHaveLength(0);
  });

  it('keeps the newest --keep backups of the school and only deletes after a good one', async () => {
    const dir = path.join(outDir, 'retention');
    const at = (s: number) => new Date(Date.UTC(2026, 0, 2, 3, 0, s));
    const first = await backupDatabase({ school: 's001', database: src.name, outDir: dir, keep: 2, now: at(1) });
    const second = await backupDatabase({ school: 's001', database: src.name, outDir: dir, keep: 2, now: at(1) }); // same second
    expect(path.basename(second.file)).toBe('s001-20260102T030001Z-2.dump');

    // a failing backup deletes nothing
    await expect(backupDatabase({ school: 's001', database: `${src.name}_nope`, outDir: dir, keep: 1, now: at(3) })).rejects.toThrow(
      `database "${src.name}_nope" does not exist`,
    );
    await expect(backupDatabase({ school: 's001', database: src.name, outDir: dir, keep: 1, now: at(3), pgBinDir: '/nonexistent' })).rejects.toThrow(
      'pg_dump not found in /nonexistent',
    );
    expect(readdirSync(path.join(dir, 's001'))).toHaveLength(4);

    const third = await backupDatabase({ school: 's001', database: src.name, outDir: dir, keep: 2, now: at(2) });
    expect(third.deleted).toEqual([first.file]);
    expect(readdirSync(path.join(dir, 's001')).sort()).toEqual([
      's001-20260102T030001Z-2.dump',
      's001-20260102T030001Z-2.dump.json',
      's001-20260102T030002Z.dump',
      's001-20260102T030002Z.dump.json',
    ]);
    expect(existsSync(`${first.file}.json`)).toBe(false);
  });

  it('drops the half-restored database when pg_restore fails; --no-privileges skips grants to missing roles', async () => {
    const role = `${src.name}_reader`;
    await query(src.url, `create role ${role}; grant usage on schema people to ${role}; grant select on people.student to ${role}`);
    let dump: BackupResult;
    try {
      dump = await backupDatabase({ school: 's001', database: src.name, outDir: path.join(outDir, 'grants') });
    } finally {
      await query(src.url, `drop owned by ${role}; drop role ${role}`);
    }
    const into = `${src.name}_grants`;
    databases.push(into);

    await expect(restoreDatabase({ file: dump.file, into })).rejects.toThrow(
      new RegExp(`pg_restore exited with code 1:[\\s\\S]*role "${role}" does not exist`),
    );
    expect(await query(adminUrl(), 'select 1 from pg_database where datname = $1', [into])).toHaveLength(0);

    const restored = await restoreDatabase({ file: dump.file, into, noPrivileges: true });
    expect(restored.ok).toBe(true);
    expect(await compareDatabases(src.url, restored.url)).toEqual([]);
  });

  it('names the default database after the school', async () => {
    await expect(backupDatabase({ school: 's999', outDir })).rejects.toThrow(
      'database "district_s999" does not exist on postgres://', // demo naming district_<school>
    );
    await expect(backupDatabase({ school: '../etc', outDir })).rejects.toThrow(/bad school code/);
  });
});

describe('backup and restore command lines', () => {
  it('parses the backup options', () => {
    expect(parseBackupArgs(['--school', 's001'], '/repo')).toEqual({
      help: false,
      school: 's001',
      database: undefined,
      outDir: undefined,
      keep: 14,
      pgBinDir: undefined,
    });
    expect(parseBackupArgs(['--school=s002', '--database', 'district_s002_old', '--out', 'bk', '--keep', '3'], '/repo')).toMatchObject({
      school: 's002',
      database: 'district_s002_old',
      outDir: '/repo/bk',
      keep: 3,
    });
    expect(parseBackupArgs(['--out', '/abs/dir', '--school', 's001'], '/repo').outDir).toBe('/abs/dir');
    expect(parseBackupArgs(['--help'], '/repo').help).toBe(true);
    expect(() => parseBackupArgs([], '/repo')).toThrow('--school is required');
    expect(() => parseBackupArgs(['--school'], '/repo')).toThrow('--school needs a value');
    expect(() => parseBackupArgs(['--school', 's001', '--keep', '0'], '/repo')).toThrow(/--keep must be/);
    expect(() => parseBackupArgs(['--school', 's001', '--keep', '2.5'], '/repo')).toThrow(/--keep must be/);
    expect(() => parseBackupArgs(['--school', 's001', '--frobnicate'], '/repo')).toThrow('unknown option --frobnicate');
    expect(() => parseBackupArgs(['--school', 's001', 's002'], '/repo')).toThrow('unexpected argument "s002"');
    expect(() => parseBackupArgs(['--school', 's001', '--school', 's002'], '/repo')).toThrow('--school given twice');
    expect(() => parseBackupArgs(['--school', '../x'], '/repo')).toThrow(/bad school code/);
  });

  it('parses the restore options', () => {
    expect(parseRestoreArgs(['--file', 'backups/s001/s001-20260102T030405Z.dump', '--into', 'drill_s001'], '/repo')).toEqual({
      help: false,
      file: '/repo/backups/s001/s001-20260102T030405Z.dump',
      into: 'drill_s001',
      replace: false,
      manifestFile: undefined,
      noPrivileges: false,
      pgBinDir: undefined,
    });
    expect(parseRestoreArgs(['--file=/x.dump', '--into=d', '--replace', '--manifest', 'm.json', '--no-privileges'], '/repo')).toMatchObject({
      file: '/x.dump',
      into: 'd',
      replace: true,
      manifestFile: '/repo/m.json',
      noPrivileges: true,
    });
    expect(() => parseRestoreArgs(['--into', 'd'], '/repo')).toThrow('--file is required');
    expect(() => parseRestoreArgs(['--file', 'x.dump'], '/repo')).toThrow('--into is required');
    expect(() => parseRestoreArgs(['--file', 'x.dump', '--into', 'a"; drop database x; --'], '/repo')).toThrow(/bad database name/);
    expect(() => parseRestoreArgs(['--file', 'x.dump', '--into', 'd', '--replace=yes'], '/repo')).toThrow('--replace takes no value');
  });
});
