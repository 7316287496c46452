// Browser tests against the real stack: starting a district, a Keycloak login through its form and pages settling take minutes, not seconds.
jest.setTimeout(240_000);
