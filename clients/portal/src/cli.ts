#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, portalClientConfigFromEnv } from './config';
import { PortalClient, PortalRefusal, type DiaryQuestion, type PortalChild, type ProgressQuestion } from './sdk';
import { diarySummary, progressSummary } from './summary';

/** What the process exits with: a portal's scripts switch on it. */
export const EXIT = {
  ok: 0,
  /** Bad arguments or configuration, an integration error (credentials, PERSISTED_QUERY_NOT_ALLOWED) or the platform's own failure. */
  error: 1,
  /** The platform refused the applicant's question: NOT_A_GUARDIAN, CHILD_NOT_FOUND, AMBIGUOUS_CHILD, BAD_USER_INPUT (the code and message are printed). */
  refused: 2,
  /** A school or the platform is unavailable, or the request budget is spent: ask again later. */
  unavailable: 3,
} as const;

export const USAGE = `Запросы государственного портала к электронному журналу района.

  district-portal progress --applicant-snils СНИЛС <ребёнок> --from ГГГГ-ММ-ДД --to ГГГГ-ММ-ДД [--request-id ID] [--json]
  district-portal diary    --applicant-snils СНИЛС <ребёнок> --week ГГГГ-ММ-ДД [--request-id ID] [--json]

  <ребёнок>: --child-snils СНИЛС
         или --child-last-name ФАМИЛИЯ --child-first-name ИМЯ --child-birth-date ГГГГ-ММ-ДД

  --request-id  номер запроса портала (1–64 символа A–Z a–z 0–9 _ . -), по умолчанию случайный
  --json        ответ как есть (JSON), вместо сводки

Подключение (переменные окружения): PORTAL_GATEWAY_URL, PORTAL_TOKEN_URL, PORTAL_CLIENT_ID, PORTAL_CLIENT_SECRET.
Коды выхода: 0 ответ получен; 2 отказ по запросу заявителя (NOT_A_GUARDIAN, CHILD_NOT_FOUND, AMBIGUOUS_CHILD, BAD_USER_INPUT);
3 временно недоступно, повторите позже (SCHOOL_UNAVAILABLE, RATE_LIMITED); 1 ошибка вызова, настройки подключения или платформы.
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type Command =
  { name: 'help' } | { name: 'progress'; question: ProgressQuestion; json: boolean } | { name: 'diary'; question: DiaryQuestion; json: boolean };

const OPTIONS = {
  'applicant-snils': { type: 'string' },
  'child-snils': { type: 'string' },
  'child-last-name': { type: 'string' },
  'child-first-name': { type: 'string' },
  'child-birth-date': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  week: { type: 'string' },
  'request-id': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = Partial<Record<keyof typeof OPTIONS, string | boolean>>;

/** The options each command takes besides the applicant's, the child's, --request-id and --json. */
const OWN_OPTIONS = { progress: ['from', 'to'], diary: ['week'] } as const;

/** The command line as a question; a UsageError says what is wrong with it. */
export function parseCommand(argv: readonly string[]): Command {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: 'help' };
  const [name, ...extra] = positionals;
  if (name !== 'progress' && name !== 'diary') throw new UsageError(name ? `Неизвестная команда: ${name}` : 'Укажите команду: progress или diary');
  if (extra.length) throw new UsageError(`Лишние аргументы: ${extra.join(' ')}`);
  const other = name === 'progress' ? 'diary' : 'progress';
  const foreign = OWN_OPTIONS[other].filter((option) => values[option] !== undefined);
  if (foreign.length) throw new UsageError(`Команда ${name} не принимает ${foreign.map((o) => `--${o}`).join(', ')}`);
  const text = (option: keyof typeof OPTIONS) => (typeof values[option] === 'string' ? (values[option] as string) : undefined);
  const required = (option: keyof typeof OPTIONS) => {
    const value = text(option);
    if (!value) throw new UsageError(`Не указан --${option}`);
    return value;
  };
  const applicantSnils = required('applicant-snils');
  const child = childOf(text);
  const requestId = text('request-id');
  if (requestId !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(requestId)) {
    throw new UsageError('--request-id: от 1 до 64 символов A–Z, a–z, 0–9, «_», «.», «-»');
  }
  const common = { applicantSnils, child, ...(requestId ? { requestId } : {}) };
  const json = values.json === true;
  if (name === 'progress') return { name, json, question: { ...common, from: required('from'), to: required('to') } };
  return { name, json, question: { ...common, weekStart: required('week') } };
}

/** The child by SNILS, or by all three of surname, name and birth date: never a mix. */
function childOf(text: (option: keyof typeof OPTIONS) => string | undefined): PortalChild {
  const snils = text('child-snils');
  const byName = { lastName: text('child-last-name'), firstName: text('child-first-name'), birthDate: text('child-birth-date') };
  const given = Object.values(byName).filter((v) => v !== undefined).length;
  if (snils !== undefined) {
    if (given > 0) throw new UsageError('Ребёнок указывается либо --child-snils, либо фамилией, именем и датой рождения, не тем и другим');
    return { snils };
  }
  if (given === 0) throw new UsageError('Укажите ребёнка: --child-snils или --child-last-name, --child-first-name и --child-birth-date');
  if (!byName.lastName || !byName.firstName || !byName.birthDate) {
    throw new UsageError('Без СНИЛС ребёнок указывается тремя параметрами: --child-last-name, --child-first-name и --child-birth-date');
  }
  return { lastName: byName.lastName, firstName: byName.firstName, birthDate: byName.birthDate };
}

export interface CliIO {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The SDK's fetch (tests); the global one by default. */
  fetch?: typeof fetch;
}

/**
 * The refusals of the applicant's question, which the portal shows the
 * applicant (docs/portal.md). Any other code is the integration's or the
 * platform's problem (credentials, a manifest the gateway does not hold, an
 * internal error): exit 1.
 */
const QUESTION_REFUSED = new Set<string>(['NOT_A_GUARDIAN', 'CHILD_NOT_FOUND', 'AMBIGUOUS_CHILD', 'BAD_USER_INPUT']);

/** The exit code an error stands for. */
export function exitCodeOf(error: unknown): number {
  if (!(error instanceof PortalRefusal)) return EXIT.error;
  if (error.retryable) return EXIT.unavailable;
  return QUESTION_REFUSED.has(error.code) ? EXIT.refused : EXIT.error;
}

function refusalText(error: PortalRefusal): string {
  const kind = { [EXIT.unavailable]: 'Временно недоступно', [EXIT.refused]: 'Отказ' }[exitCodeOf(error)] ?? 'Ошибка';
  const lines = [`${kind}: ${error.code}: ${error.message}`];
  if (error.problems.length) lines.push(`Поля с ошибками: ${error.problems.join(', ')}`);
  if (error.retryable) lines.push(error.retryAfterSeconds !== undefined ? `Повторите запрос через ${error.retryAfterSeconds} с.` : 'Повторите запрос позже.');
  if (error.requestId) lines.push(`Номер запроса: ${error.requestId}`);
  return `${lines.join('\n')}\n`;
}

/** Runs one command line; answers the exit code (never exits itself, so tests run it in-process). */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}`);
    return EXIT.error;
  }
  if (command.name === 'help') {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  try {
    const client = new PortalClient({ ...portalClientConfigFromEnv(io.env), ...(io.fetch ? { fetch: io.fetch } : {}) });
    if (command.name === 'progress') {
      const answer = await client.progress(command.question);
      io.stdout(command.json ? `${JSON.stringify(answer, null, 2)}\n` : progressSummary(answer));
    } else {
      const answer = await client.diary(command.question);
      io.stdout(command.json ? `${JSON.stringify(answer, null, 2)}\n` : diarySummary(answer));
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof PortalRefusal) {
      io.stderr(refusalText(error));
      if (command.json) io.stdout(`${JSON.stringify({ error }, null, 2)}\n`);
    } else if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
    } else {
      io.stderr(`Ошибка: ${(error as Error)?.message ?? String(error)}\n`);
    }
    return exitCodeOf(error);
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}
