import { loadConfig, z } from '../src/config';
import { Validator } from '../src/validation';

describe('Validator', () => {
  it('collects every problem before refusing', () => {
    const v = new Validator(7);
    v.text('lastName', '  ', { label: 'Фамилия' });
    v.date('birthDate', '31.02.2015', { label: 'Дата рождения' });
    v.email('email', 'nobody');
    expect(v.problems.map((p) => [p.line, p.field])).toEqual([
      [7, 'lastName'],
      [7, 'birthDate'],
      [7, 'email'],
    ]);
    expect(() => v.done()).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: { problems: v.problems } }));
  });

  it('accepts ISO and Russian dates and trims text', () => {
    const v = new Validator();
    expect(v.date('d', '14.03.2015')).toBe('2015-03-14');
    expect(v.date('d', '2015-03-14')).toBe('2015-03-14');
    expect(v.text('t', '  Иванов ')).toBe('Иванов');
    expect(v.date('d', '2015-03-14', { max: '2015-01-01' })).toBeUndefined();
    expect(v.problems).toHaveLength(1);
  });
});

describe('loadConfig', () => {
  it('reports every bad variable at once', () => {
    const schema = z.object({ PORT: z.coerce.number().int().max(65535), DATABASE_URL: z.string().url() });
    expect(() => loadConfig(schema, { PORT: '99999', DATABASE_URL: 'nope' })).toThrow(/PORT[\s\S]*DATABASE_URL/);
    expect(loadConfig(schema, { PORT: '4000', DATABASE_URL: 'postgres://x@h/db' })).toEqual({ PORT: 4000, DATABASE_URL: 'postgres://x@h/db' });
  });
});
