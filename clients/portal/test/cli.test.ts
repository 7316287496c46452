import { EXIT, parseCommand, runCli, UsageError } from '../src/cli';
import { DEMO_DEFAULTS } from '../src/config';
import { PERSISTED_OPERATIONS } from '../src/generated/persisted-operations';
import { PortalClient, PortalRefusal, type PortalProgress } from '../src/sdk';

/**
 * The CLI's command line and exit codes, and what the SDK sends: against a
 * stand-in for Keycloak's token endpoint and the gateway (the SDK's `fetch`
 * option). The real platform answers in portal-cli.test.ts.
 */

const SNILS = '200-105-000 62';
const CHILD = '200-104-001 23';

describe('the command line', () => {
  it('a progress question by the child’s SNILS, with the portal’s request id and --json', () => {
    expect(
      parseCommand([
        'progress',
        '--applicant-snils',
        SNILS,
        '--child-snils',
        CHILD,
        '--from',
        '2026-09-01',
        '--to',
        '2026-10-25',
        '--request-id',
        'gosuslugi.42',
        '--json',
      ]),
    ).toEqual({
      name: 'progress',
      json: true,
      question: { applicantSnils: SNILS, child: { snils: CHILD }, from: '2026-09-01', to: '2026-10-25', requestId: 'gosuslugi.42' },
    });
  });

  it('a diary question by surname, name and birth date; no request id means the SDK makes one', () => {
    const command = parseCommand([
      'diary',
      '--applicant-snils',
      SNILS,
      '--child-last-name',
      'Иванов',
      '--child-first-name',
      'Пётр',
      '--child-birth-date',
      '12.03.2015',
      '--week',
      '2026-12-07',
    ]);
    expect(command).toEqual({
      name: 'diary',
      json: false,
      question: { applicantSnils: SNILS, child: { lastName: 'Иванов', firstName: 'Пётр', birthDate: '12.03.2015' }, weekStart: '2026-12-07' },
    });
  });

  it('--help and -h ask for the usage', () => {
    expect(parseCommand(['--help'])).toEqual({ name: 'help' });
    expect(parseCommand(['diary', '-h'])).toEqual({ name: 'help' });
  });

  const progress = ['progress', '--applicant-snils', SNILS, '--from', '2026-09-01', '--to', '2026-10-25'];
  it.each([
    [[], /Укажите команду/],
    [['grades'], /Неизвестная команда: grades/],
    [['progress', '--child-snils', CHILD, '--from', '2026-09-01', '--to', '2026-10-25'], /--applicant-snils/],
    [progress, /Укажите ребёнка/],
    [[...progress, '--child-snils', CHILD, '--child-last-name', 'Иванов'], /либо --child-snils/],
    [[...progress, '--child-last-name', 'Иванов', '--child-first-name', 'Пётр'], /тремя параметрами/],
    [['progress', '--applicant-snils', SNILS, '--child-snils', CHILD, '--from', '2026-09-01'], /--to/],
    [[...progress, '--child-snils', CHILD, '--week', '2026-12-07'], /не принимает --week/],
    [['diary', '--applicant-snils', SNILS, '--child-snils', CHILD, '--week', '2026-12-07', '--from', '2026-09-01'], /не принимает --from/],
    [['diary', '--applicant-snils', SNILS, '--child-snils', CHILD], /--week/],
    [[...progress, '--child-snils', CHILD, '--grade', '5'], /--grade/],
    [[...progress, '--child-snils', CHILD, 'extra'], /Лишние аргументы: extra/],
    [[...progress, '--child-snils', CHILD, '--request-id', 'no spaces please'], /--request-id/],
    [[...progress, '--child-snils', CHILD, '--request-id', 'x'.repeat(65)], /--request-id/],
  ])('%j is a usage error', (argv: string[], message: RegExp) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const ANSWER: PortalProgress = {
  requestId: 'gosuslugi.42',
  child: { schoolId: 's001', schoolName: 'Школа № 1', fullName: 'Иванов Пётр Сергеевич', classGroup: '5А' },
  from: '2026-09-01',
  to: '2026-10-25',
  subjects: [
    {
      subject: 'Математика',
      marksCount: 2,
      average: 4.25,
      marks: [
        { date: '2026-09-05', value: '5', controlForm: 'Ответ на уроке', weight: 1, comment: null },
        { date: '2026-09-12', value: '4', controlForm: 'Контрольная работа', weight: 3, comment: 'решена не вся' },
      ],
    },
    {
      subject: 'Физическая культура',
      marksCount: 1,
      average: null,
      marks: [{ date: '2026-09-07', value: 'PASS', controlForm: 'Зачёт', weight: 1, comment: null }],
    },
  ],
  attendance: { lessons: 120, absent: 2, sick: 3, excused: 1, late: 4 },
  termGrades: [
    { term: '1 четверть', subject: 'Математика', grade: '4' },
    { term: '1 четверть', subject: 'Физическая культура', grade: 'EXEMPT' },
  ],
};

type GatewayReply = { status?: number; headers?: Record<string, string>; body: unknown } | 'network-error';

/** Keycloak's token endpoint (token-1, token-2, …) and a gateway answering the replies in turn. */
function platform(...replies: GatewayReply[]) {
  const sent: Sent[] = [];
  let tokens = 0;
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    sent.push({ url, headers, body: String(init?.body ?? '') });
    if (url === DEMO_DEFAULTS.PORTAL_TOKEN_URL) {
      tokens += 1;
      return Response.json({ access_token: `token-${tokens}`, expires_in: 300, token_type: 'Bearer' });
    }
    const reply = replies.shift();
    if (!reply) throw new Error(`no reply left for ${url}`);
    if (reply === 'network-error') throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    return Response.json(reply.body, { status: reply.status ?? 200, headers: reply.headers });
  };
  const toGateway = () => sent.filter((s) => s.url === DEMO_DEFAULTS.PORTAL_GATEWAY_URL);
  return { fetch: fetch as typeof globalThis.fetch, sent, toGateway, tokens: () => tokens };
}

async function run(argv: string[], fake: ReturnType<typeof platform>) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { env: {}, fetch: fake.fetch, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const refusal = (code: string, message: string, extensions: Record<string, unknown> = {}) => ({
  body: { data: null, errors: [{ message, path: ['portalProgress'], extensions: { code, ...extensions } }] },
});

const ASK = ['progress', '--applicant-snils', SNILS, '--child-snils', CHILD, '--from', '2026-09-01', '--to', '2026-10-25', '--request-id', 'gosuslugi.42'];

describe('what the CLI sends and how it exits', () => {
  it('an answer: exit 0, the persisted operation by its hash only, the portal’s request id, a readable summary', async () => {
    const fake = platform({ body: { data: { portalProgress: ANSWER } } });
    const { code, stdout, stderr } = await run(ASK, fake);
    expect([code, stderr]).toEqual([EXIT.ok, '']);
    const [token, ask] = fake.sent;
    expect(new URLSearchParams(token!.body).get('grant_type')).toBe('client_credentials');
    expect(new URLSearchParams(token!.body).get('client_id')).toBe('state-portal');
    expect(ask!.headers).toMatchObject({ authorization: 'Bearer token-1', 'x-request-id': 'gosuslugi.42', 'content-type': 'application/json' });
    expect(JSON.parse(ask!.body)).toEqual({
      operationName: 'PortalProgress',
      variables: { applicant: { snils: SNILS }, child: { snils: CHILD }, from: '2026-09-01', to: '2026-10-25' },
      extensions: { persistedQuery: { version: 1, sha256Hash: PERSISTED_OPERATIONS.PortalProgress.id } },
    });
    expect(stdout).toContain('Успеваемость: Иванов Пётр Сергеевич\nШкола: Школа № 1, класс 5А\nПериод: 01.09.2026 – 25.10.2026');
    expect(stdout).toContain(
      '  Математика: средний балл 4,25 (2 отметки)\n    05.09.2026  5 (Ответ на уроке, вес 1)\n    12.09.2026  4 (Контрольная работа, вес 3) — решена не вся',
    );
    expect(stdout).toContain('  Физическая культура: средний балл не вычисляется (1 отметка)\n    07.09.2026  зачёт (Зачёт, вес 1)');
    expect(stdout).toContain('Посещаемость: проведено уроков 120; Н 2, Б 3, УП 1, ОП 4');
    expect(stdout).toContain('  1 четверть: Математика 4, Физическая культура осв.');
  });

  it('--json prints the typed answer as it came', async () => {
    const { code, stdout } = await run([...ASK, '--json'], platform({ body: { data: { portalProgress: ANSWER } } }));
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(stdout)).toEqual(ANSWER);
  });

  it('a refusal: exit 2 with the code and the message', async () => {
    const message = 'Заявитель не указан в школе как родитель или законный представитель этого ребёнка';
    const { code, stdout, stderr } = await run(ASK, platform(refusal('NOT_A_GUARDIAN', message)));
    expect(code).toBe(EXIT.refused);
    expect(stdout).toBe('');
    expect(stderr).toBe(`Отказ: NOT_A_GUARDIAN: ${message}\nНомер запроса: gosuslugi.42\n`);
  });

  it.each(['CHILD_NOT_FOUND', 'AMBIGUOUS_CHILD', 'NOT_A_GUARDIAN', 'BAD_USER_INPUT'])('%s is a refusal of the question: exit 2', async (code) => {
    expect((await run(ASK, platform(refusal(code, 'отказ')))).code).toBe(EXIT.refused);
  });

  it('malformed input: exit 2 naming the fields; --json prints the refusal as JSON', async () => {
    const problems = [{ field: 'applicant.snils', message: 'СНИЛС заявителя: 11 цифр' }];
    const { code, stdout, stderr } = await run(
      [...ASK, '--json'],
      platform(refusal('BAD_USER_INPUT', 'Запрос портала заполнен неверно: СНИЛС заявителя: 11 цифр', { problems })),
    );
    expect(code).toBe(EXIT.refused);
    expect(stderr).toContain('Поля с ошибками: applicant.snils');
    expect(JSON.parse(stdout)).toEqual({
      error: {
        code: 'BAD_USER_INPUT',
        message: 'Запрос портала заполнен неверно: СНИЛС заявителя: 11 цифр',
        retryable: false,
        problems: ['applicant.snils'],
        requestId: 'gosuslugi.42',
      },
    });
  });

  it('a school unavailable: exit 3 with a hint to ask again later', async () => {
    const { code, stderr } = await run(
      ASK,
      platform(refusal('SCHOOL_UNAVAILABLE', 'Сведения школы s002 сейчас недоступны', { retryable: true, schools: ['s002'] })),
    );
    expect(code).toBe(EXIT.unavailable);
    expect(stderr).toBe(
      'Временно недоступно: SCHOOL_UNAVAILABLE: Сведения школы s002 сейчас недоступны\nПовторите запрос позже.\nНомер запроса: gosuslugi.42\n',
    );
  });

  it('rate limited (429, Retry-After): exit 3 saying when to ask again', async () => {
    const fake = platform({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { errors: [{ message: 'Слишком много запросов: повторите через 7 с', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 7 } }] },
    });
    const { code, stderr } = await run(ASK, fake);
    expect(code).toBe(EXIT.unavailable);
    expect(stderr).toContain('Временно недоступно: RATE_LIMITED: Слишком много запросов: повторите через 7 с\nПовторите запрос через 7 с.');
  });

  it('the gateway not answering: exit 3', async () => {
    const { code, stderr } = await run(ASK, platform('network-error'));
    expect(code).toBe(EXIT.unavailable);
    expect(stderr).toContain('Временно недоступно: UNREACHABLE: Шлюз района http://localhost:4000/graphql не отвечает: ECONNREFUSED');
  });

  it('the platform’s own failure, an answer that is no GraphQL, an integration error: exit 1 with the code', async () => {
    expect((await run(ASK, platform(refusal('INTERNAL_SERVER_ERROR', 'Внутренняя ошибка сервера')))).code).toBe(EXIT.error);
    expect((await run(ASK, platform({ status: 200, body: { data: {} } }))).code).toBe(EXIT.error);
    const notSafelisted = {
      status: 400,
      body: {
        errors: [
          {
            message: 'Операции с таким хешем нет в утверждённом списке операций портала',
            extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED', reason: 'UNKNOWN_OPERATION' },
          },
        ],
      },
    };
    const { code, stderr } = await run(ASK, platform(notSafelisted));
    expect(code).toBe(EXIT.error);
    expect(stderr).toContain('Ошибка: PERSISTED_QUERY_NOT_ALLOWED: Операции с таким хешем нет');
  });

  it('Keycloak refusing the client’s credentials: exit 1, nothing sent to the gateway', async () => {
    const sent: string[] = [];
    const fetch = (async (input: string | URL | Request) => {
      sent.push(String(input));
      return Response.json({ error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' }, { status: 401 });
    }) as typeof globalThis.fetch;
    let stderr = '';
    const code = await runCli(ASK, { env: {}, fetch, stdout: () => undefined, stderr: (t) => (stderr += t) });
    expect(code).toBe(EXIT.error);
    expect(stderr).toContain(
      'Ошибка: TOKEN_REFUSED: Сервер авторизации не выдал токен клиенту state-portal: unauthorized_client: Invalid client or Invalid client credentials',
    );
    expect(sent).toEqual([DEMO_DEFAULTS.PORTAL_TOKEN_URL]);
  });

  it('a usage error: exit 1 with the usage, and nothing is sent', async () => {
    const fake = platform();
    const { code, stderr } = await run(['progress', '--applicant-snils', SNILS], fake);
    expect(code).toBe(EXIT.error);
    expect(stderr).toContain('Укажите ребёнка');
    expect(stderr).toContain('district-portal progress --applicant-snils');
    expect(fake.sent).toEqual([]);
  });

  it('a bad gateway address in the environment: exit 1 naming the variable', async () => {
    let stderr = '';
    const code = await runCli(ASK, {
      env: { PORTAL_GATEWAY_URL: 'localhost:4000' },
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
      fetch: platform().fetch,
    });
    expect(code).toBe(EXIT.error);
    expect(stderr).toContain('PORTAL_GATEWAY_URL');
  });
});

describe('the SDK’s token', () => {
  it('is got once and kept for the next questions', async () => {
    const fake = platform({ body: { data: { portalProgress: ANSWER } } }, { body: { data: { portalProgress: ANSWER } } });
    const client = new PortalClient({ ...config(), fetch: fake.fetch });
    const question = { applicantSnils: SNILS, child: { snils: CHILD }, from: '2026-09-01', to: '2026-10-25' };
    await Promise.all([client.progress(question), client.progress(question)]);
    expect(fake.tokens()).toBe(1);
    const ids = fake.toGateway().map((s) => s.headers['x-request-id']);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(2);
  });

  it('is renewed once on 401 and the question asked again; a second 401 is the answer', async () => {
    const unauthenticated = { status: 401, body: { errors: [{ message: 'Токен недействителен', extensions: { code: 'UNAUTHENTICATED' } }] } };
    const renewed = platform(unauthenticated, { body: { data: { portalProgress: ANSWER } } });
    const question = { applicantSnils: SNILS, child: { snils: CHILD }, from: '2026-09-01', to: '2026-10-25', requestId: 'r-1' };
    await expect(new PortalClient({ ...config(), fetch: renewed.fetch }).progress(question)).resolves.toEqual(ANSWER);
    expect(renewed.toGateway().map((s) => [s.headers.authorization, s.headers['x-request-id']])).toEqual([
      ['Bearer token-1', 'r-1'],
      ['Bearer token-2', 'r-1'],
    ]);

    const refused = platform(unauthenticated, unauthenticated);
    const error = await new PortalClient({ ...config(), fetch: refused.fetch }).progress(question).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortalRefusal);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', retryable: false, status: 401, requestId: 'r-1' });
    expect(refused.tokens()).toBe(2);
  });

  it('is renewed before it expires', async () => {
    const fake = platform({ body: { data: { portalProgress: ANSWER } } }, { body: { data: { portalProgress: ANSWER } } });
    let now = 1_000_000;
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const client = new PortalClient({ ...config(), fetch: fake.fetch });
      const question = { applicantSnils: SNILS, child: { snils: CHILD }, from: '2026-09-01', to: '2026-10-25' };
      await client.progress(question);
      // The token lives 300 s: at 271 s it is 30 s from expiry, too close to send.
      now += 271_000;
      await client.progress(question);
    } finally {
      spy.mockRestore();
    }
    expect(fake.toGateway().map((s) => s.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });
});

function config() {
  return {
    gatewayUrl: DEMO_DEFAULTS.PORTAL_GATEWAY_URL,
    tokenUrl: DEMO_DEFAULTS.PORTAL_TOKEN_URL,
    clientId: 'state-portal',
    clientSecret: 'state-portal-secret',
  };
}
