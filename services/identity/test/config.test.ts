import { identityConfigFromEnv } from '../src/config';

describe('identity configuration', () => {
  it('keeps its demo defaults outside production: the committed secret, the sync every 10 minutes, the nightly fix at 04:00 Moscow time', () => {
    const config = identityConfigFromEnv({});
    expect(config.keycloak.clientSecret).toBe('district-identity-secret');
    expect(config).toMatchObject({ syncMinutes: 10, timezone: 'Europe/Moscow', nightlyFixAt: '04:00' });
  });

  it('the nightly fix moves or turns off; a time that is not HH:MM is refused by name', () => {
    expect(identityConfigFromEnv({ ACCOUNT_FIX_AT: '05:30', DISTRICT_TIMEZONE: 'Asia/Yekaterinburg' })).toMatchObject({
      nightlyFixAt: '05:30',
      timezone: 'Asia/Yekaterinburg',
    });
    expect(identityConfigFromEnv({ ACCOUNT_FIX_AT: 'off' }).nightlyFixAt).toBeNull();
    expect(() => identityConfigFromEnv({ ACCOUNT_FIX_AT: '4:00' })).toThrow('ACCOUNT_FIX_AT: HH:MM or off');
  });

  it('in production refuses the committed secret and the default database', () => {
    expect(() => identityConfigFromEnv({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL: required[\s\S]*IDENTITY_CLIENT_SECRET: required/);
  });
});
