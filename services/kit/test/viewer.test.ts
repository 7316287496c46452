import { authSettings } from '../src/config';
import { TokenVerifier, Viewer } from '../src/viewer';
import { allows } from '../src/policy';
import { keycloakUrl, tokenFor } from '../src/testing';

describe('TokenVerifier against the real Keycloak', () => {
  it('verifies a real token and reads roles, schools and person id', async () => {
    const verifier = new TokenVerifier(authSettings(keycloakUrl(), 'district', 'district-api'));
    const viewer = await verifier.verify(await tokenFor('parent.multi'));
    expect(viewer.has('parent')).toBe(true);
    expect([...viewer.schoolIds].sort()).toEqual(['s001', 's002']);
    expect(viewer.personId).toBe('00000000-0000-4000-8000-000000090004');
    expect(viewer.canReachSchool('s002')).toBe(true);
    expect(viewer.canReachSchool('s003')).toBe(false);
  });

  it('keeps verifying valid tokens with cached keys while Keycloak is unreachable', async () => {
    const settings = { ...authSettings(keycloakUrl(), 'district', 'district-api') };
    const verifier = new TokenVerifier(settings, 0);
    const token = await tokenFor('s001.teacher');
    await verifier.verify(token);
    // Keycloak "goes down": the key endpoint now refuses connections.
    settings.jwksUrl = 'http://127.0.0.1:1/certs';
    const viewer = await verifier.verify(token);
    expect(viewer.username).toBe('s001.teacher');
    // A token signed with an unknown key is still refused.
    const [, payload, signature] = token.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'unknown-key' })).toString('base64url');
    await expect(verifier.verify(`${header}.${payload}.${signature}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a missing token', async () => {
    const verifier = new TokenVerifier(authSettings(keycloakUrl(), 'district', 'district-api'));
    await expect(verifier.verify(undefined)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('Viewer', () => {
  it('gives district roles every school only when their token names none', () => {
    const analyst = Viewer.fromClaims({ realm_access: { roles: ['district-analyst'] } }, 't');
    expect(analyst.canReachSchool('s077')).toBe(true);
    const bound = Viewer.fromClaims({ realm_access: { roles: ['district-analyst'] }, school_ids: ['s001'] }, 't');
    expect(bound.canReachSchool('s077')).toBe(false);
    const teacher = Viewer.fromClaims({ realm_access: { roles: ['teacher'] }, school_ids: 's003' }, 't');
    expect(teacher.schoolIds).toEqual(['s003']);
    expect(allows(teacher, 'staff:work', 's003')).toBe(true);
    expect(teacher.canReachSchool('s001')).toBe(false);
  });

  it('gives the state portal no school: it runs only the safelisted integration operations', () => {
    const portal = Viewer.fromClaims({ realm_access: { roles: ['portal'] } }, 't');
    expect(portal.isDistrict).toBe(false);
    expect(portal.canReachSchool('s001')).toBe(false);
  });
});
