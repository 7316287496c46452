import { portalConfigFromEnv } from '../src/config';

describe('portal configuration', () => {
  it('keeps its demo defaults outside production', () => {
    expect(portalConfigFromEnv({})).toMatchObject({
      port: 4300,
      clientId: 'district-portal',
      clientSecret: 'district-portal-secret',
      identityKeySecret: 'district-identity-key-demo',
      tokenUrl: 'http://localhost:8080/realms/district/protocol/openid-connect/token',
    });
  });

  it('in production refuses the demo database and secrets, naming each; a template placeholder or a short key is refused anywhere', () => {
    expect(() => portalConfigFromEnv({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL: required[\s\S]*PORTAL_SERVICE_CLIENT_SECRET: required[\s\S]*IDENTITY_KEY_SECRET: required/,
    );
    expect(() => portalConfigFromEnv({ IDENTITY_KEY_SECRET: 'REPLACE_ME_with_48_random_bytes' })).toThrow(
      'IDENTITY_KEY_SECRET: still the template placeholder',
    );
    expect(() => portalConfigFromEnv({ IDENTITY_KEY_SECRET: 'short' })).toThrow('IDENTITY_KEY_SECRET: at least 16 characters');
  });
});
