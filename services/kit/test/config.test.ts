import { loadConfig, schoolServiceConfigFromEnv, z } from '../src/config';

/** Unsafe defaults: outside production a school service uses its own school's demo database; in production nothing is assumed. */
describe('school service configuration', () => {
  it('outside production, the database defaults to the school’s own demo database', () => {
    expect(schoolServiceConfigFromEnv(4101, { SCHOOL_ID: 's002' }).databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/district_s002');
    expect(schoolServiceConfigFromEnv(4301, { SCHOOL_ID: 's117', NODE_ENV: 'test' }).databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/district_s117');
  });

  it('an explicit DATABASE_URL is used as given', () => {
    const config = schoolServiceConfigFromEnv(4101, {
      SCHOOL_ID: 's002',
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://people@db-s002.internal:5432/school',
    });
    expect(config).toMatchObject({ schoolId: 's002', databaseUrl: 'postgres://people@db-s002.internal:5432/school', production: true, port: 4101 });
  });

  it('in production, a missing DATABASE_URL stops the start with a message naming it', () => {
    expect(() => schoolServiceConfigFromEnv(4101, { SCHOOL_ID: 's002', NODE_ENV: 'production' })).toThrow(
      new Error('Invalid configuration:\n  DATABASE_URL: required when NODE_ENV=production (the built-in default is for the demo only)'),
    );
    // An empty value is refused too: it is not a URL.
    expect(() => schoolServiceConfigFromEnv(4101, { SCHOOL_ID: 's002', NODE_ENV: 'production', DATABASE_URL: '' })).toThrow('DATABASE_URL: Invalid url');
  });

  it('every problem is reported at once', () => {
    expect(() => schoolServiceConfigFromEnv(4101, { NODE_ENV: 'production', PORT: 'x' })).toThrow(
      new Error(
        [
          'Invalid configuration:',
          '  PORT: Expected number, received nan',
          '  SCHOOL_ID: Required',
          '  DATABASE_URL: required when NODE_ENV=production (the built-in default is for the demo only)',
        ].join('\n'),
      ),
    );
  });
});

describe('loadConfig requiredInProduction', () => {
  const schema = z.object({ NODE_ENV: z.string().optional(), SECRET: z.string().default('demo-secret') });
  it('keeps the demo default outside production and refuses it in production', () => {
    expect(loadConfig(schema, {}, { requiredInProduction: ['SECRET'] }).SECRET).toBe('demo-secret');
    expect(loadConfig(schema, { NODE_ENV: 'production', SECRET: 's3cr3t' }, { requiredInProduction: ['SECRET'] }).SECRET).toBe('s3cr3t');
    expect(() => loadConfig(schema, { NODE_ENV: 'production' }, { requiredInProduction: ['SECRET'] })).toThrow(
      new Error('Invalid configuration:\n  SECRET: required when NODE_ENV=production (the built-in default is for the demo only)'),
    );
  });
});
