import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair, decodeJwt, decodeProtectedHeader } from 'jose';
import { startTestServer, signUp, uniqueEmail, errorCodes, REGISTER, type TestServer } from './helpers/server';
import { PRIVACY_POLICY_VERSION } from '../seeds/policies';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ plugins: [] });
});
afterAll(() => server?.stop());

const ME = `{ me { id email givenName } }`;
const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken account { email } } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;
const LOGOUT = `mutation($t: String!) { logout(refreshToken: $t) }`;

describe('register', () => {
  it('creates a customer, signs it in and records the accepted privacy policy', async () => {
    const email = uniqueEmail();
    const r = await server.gql(REGISTER, {
      input: { email: email.toUpperCase(), password: 'a long password', privacyPolicyVersion: PRIVACY_POLICY_VERSION },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data.register.account).toMatchObject({ email, roles: ['CUSTOMER'] });
    const me = await server.gql(ME, {}, { token: r.data.register.accessToken });
    expect(me.data.me.email).toBe(email);
    const records = await server.app.services.prisma.consentRecord.findMany({ where: { account: { email } } });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ purpose: 'ACCOUNT', granted: true, policyVersion: PRIVACY_POLICY_VERSION });
  });

  it('rejects bad input with the field that is wrong', async () => {
    const cases = [
      [{ email: 'not-an-email', password: 'a long password' }, 'input.email'],
      [{ email: uniqueEmail(), password: 'short' }, 'input.password'],
      [{ email: uniqueEmail(), password: 'a long password', privacyPolicyVersion: '1999-01-01' }, 'input.privacyPolicyVersion'],
    ] as const;
    for (const [input, field] of cases) {
      const r = await server.gql(REGISTER, { input: { privacyPolicyVersion: PRIVACY_POLICY_VERSION, ...input } });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('refuses a second account with the same e-mail (CONFLICT)', async () => {
    const user = await signUp(server);
    const r = await server.gql(REGISTER, {
      input: { email: user.email, password: 'another password', privacyPolicyVersion: PRIVACY_POLICY_VERSION },
    });
    expect(errorCodes(r)).toEqual(['CONFLICT']);
  });

  it('stores only a scrypt hash of the password', async () => {
    const user = await signUp(server);
    const row = await server.app.services.prisma.account.findUniqueOrThrow({ where: { email: user.email } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.passwordHash).not.toContain(user.password);
  });
});

describe('login', () => {
  it('signs in with the right password', async () => {
    const user = await signUp(server);
    const r = await server.gql(LOGIN, { i: { email: user.email, password: user.password } });
    expect(r.data.login.account.email).toBe(user.email);
  });

  it('answers the same for an unknown e-mail and a wrong password', async () => {
    const user = await signUp(server);
    const wrong = await server.gql(LOGIN, { i: { email: user.email, password: 'not the password' } });
    const unknown = await server.gql(LOGIN, { i: { email: uniqueEmail('nobody'), password: 'not the password' } });
    expect(wrong.errors).toEqual(unknown.errors);
    expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('sign-in rate limit', () => {
  it('refuses an address from this client after 5 failures in a row, also with the right password, and never for other addresses', async () => {
    const user = await signUp(server);
    for (let i = 0; i < 5; i++) {
      expect(errorCodes(await server.gql(LOGIN, { i: { email: user.email, password: `wrong ${i}` } }))).toEqual(['UNAUTHENTICATED']);
    }
    expect(errorCodes(await server.gql(LOGIN, { i: { email: user.email, password: user.password } }))).toEqual(['RATE_LIMITED']);
    const other = await signUp(server);
    expect((await server.gql(LOGIN, { i: { email: other.email, password: other.password } })).data.login.account.email).toBe(other.email);
  });
});

describe('refresh tokens', () => {
  it('rotates on every refresh: each token works once', async () => {
    const user = await signUp(server);
    const first = await server.gql(REFRESH, { t: user.refreshToken });
    expect(first.errors).toBeUndefined();
    const next = first.data.refreshSession.refreshToken;
    expect(next).not.toBe(user.refreshToken);
    const second = await server.gql(REFRESH, { t: next });
    expect(second.errors).toBeUndefined();
    const me = await server.gql(ME, {}, { token: second.data.refreshSession.accessToken });
    expect(me.data.me.email).toBe(user.email);
  });

  it('revokes the whole session when a spent token is reused', async () => {
    const user = await signUp(server);
    const first = await server.gql(REFRESH, { t: user.refreshToken });
    const { accessToken, refreshToken: current } = first.data.refreshSession;
    const replay = await server.gql(REFRESH, { t: user.refreshToken });
    expect(errorCodes(replay)).toEqual(['UNAUTHENTICATED']);
    // The legitimate successor and its access token are dead too.
    expect(errorCodes(await server.gql(REFRESH, { t: current }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await server.gql(ME, {}, { token: accessToken }))).toEqual(['UNAUTHENTICATED']);
  });

  it('lets only one of two concurrent refreshes with the same token win', async () => {
    const user = await signUp(server);
    const results = await Promise.all([server.gql(REFRESH, { t: user.refreshToken }), server.gql(REFRESH, { t: user.refreshToken })]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
  });

  it('rejects unknown refresh tokens', async () => {
    expect(errorCodes(await server.gql(REFRESH, { t: 'made-up' }))).toEqual(['UNAUTHENTICATED']);
  });

  it('stores refresh tokens only as hashes', async () => {
    const user = await signUp(server);
    const rows = await server.app.services.prisma.refreshToken.findMany({ where: { session: { account: { email: user.email } } } });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.tokenHash).not.toBe(user.refreshToken);
  });
});

describe('logout', () => {
  it('ends the session: its access and refresh tokens stop working at once', async () => {
    const user = await signUp(server);
    expect((await server.gql(LOGOUT, { t: user.refreshToken })).data.logout).toBe(true);
    expect(errorCodes(await server.gql(ME, {}, { token: user.accessToken }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await server.gql(REFRESH, { t: user.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('access tokens', () => {
  it('are EdDSA JWTs with kid, issuer, audience and a short lifetime', async () => {
    const user = await signUp(server);
    expect(decodeProtectedHeader(user.accessToken)).toMatchObject({ alg: 'EdDSA', kid: expect.any(String) });
    const claims = decodeJwt(user.accessToken);
    expect(claims).toMatchObject({ iss: 'http://localhost:4000', aud: 'location-platform', typ: 'access' });
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
  });

  it('anonymous callers get me = null', async () => {
    const r = await server.gql(ME);
    expect(r.data.me).toBeNull();
  });

  async function forge(mutate: (claims: Record<string, unknown>, header: Record<string, unknown>) => void, key?: CryptoKey) {
    const user = await signUp(server);
    const claims = decodeJwt(user.accessToken) as Record<string, unknown>;
    const header = decodeProtectedHeader(user.accessToken) as Record<string, unknown>;
    mutate(claims, header);
    const signingKey = key ?? (await generateKeyPair('EdDSA', { crv: 'Ed25519' })).privateKey;
    return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(signingKey);
  }

  it('rejects a token signed by another key with our kid', async () => {
    const token = await forge(() => {});
    expect(errorCodes(await server.gql(ME, {}, { token }))).toEqual(['UNAUTHENTICATED']);
  });

  it('rejects alg "none"', async () => {
    const user = await signUp(server);
    const [, payload] = user.accessToken.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(errorCodes(await server.gql(ME, {}, { token: `${header}.${payload}.` }))).toEqual(['UNAUTHENTICATED']);
  });

  it('rejects an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: { x: string; kid: string }[] };
    const user = await signUp(server);
    const claims = decodeJwt(user.accessToken);
    const secret = new TextEncoder().encode(jwks.keys[0].x);
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: jwks.keys[0].kid }).sign(secret);
    expect(errorCodes(await server.gql(ME, {}, { token }))).toEqual(['UNAUTHENTICATED']);
  });

  it('rejects a wrong audience, a wrong issuer and a wrong token type even when properly signed', async () => {
    const { services } = server.app;
    const user = await signUp(server);
    const claims = decodeJwt(user.accessToken);
    const key = services.keys.current;
    const sign = (c: Record<string, unknown>) => new SignJWT(c).setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).sign(key.privateKey);
    for (const c of [
      { ...claims, aud: 'someone-else' },
      { ...claims, iss: 'https://evil.example' },
      { ...claims, typ: 'consent-receipt' },
    ]) {
      expect(errorCodes(await server.gql(ME, {}, { token: await sign(c) }))).toEqual(['UNAUTHENTICATED']);
    }
    // Control: the same claims unchanged are accepted, so the checks above are what failed.
    expect((await server.gql(ME, {}, { token: await sign(claims) })).data.me.email).toBe(user.email);
  });

  it('rejects an expired token', async () => {
    const user = await signUp(server);
    const claims = decodeJwt(user.accessToken);
    const key = server.app.services.keys.current;
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ...claims, iat: now - 3600, exp: now - 60 })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
      .sign(key.privateKey);
    const r = await server.gql(ME, {}, { token });
    expect(errorCodes(r)).toEqual(['UNAUTHENTICATED']);
  });

  it('rejects a malformed Authorization header', async () => {
    const r = await server.gql(ME, {}, { headers: { authorization: 'Token abc' } });
    expect(errorCodes(r)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('JWKS and key rotation', () => {
  it('serves the public keys without private parts', async () => {
    const res = await fetch(`${server.url}/.well-known/jwks.json`);
    const jwks = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(k.d).toBeUndefined();
    }
  });

  it('keeps tokens signed by the previous key valid after rotation, and signs new ones with the new key', async () => {
    const before = await signUp(server);
    const oldKid = decodeProtectedHeader(before.accessToken).kid;
    await server.app.services.keys.rotate(3600);
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(oldKid);
    expect((await server.gql(ME, {}, { token: before.accessToken })).data.me.email).toBe(before.email);
    const after = await signUp(server);
    const newKid = decodeProtectedHeader(after.accessToken).kid;
    expect(newKid).not.toBe(oldKid);
    expect(jwks.keys.map((k) => k.kid)).toContain(newKid);
  });

  it('drops a retired key once its tokens can no longer be valid', async () => {
    const user = await signUp(server);
    const kid = decodeProtectedHeader(user.accessToken).kid;
    const later = new Date(Date.now() + 2 * 3600 * 1000);
    await server.app.services.keys.rotate(3600); // retires the key signing `user`'s token
    await server.app.services.keys.rotate(3600, later); // two hours on: the retired key is past its tokens' lifetime
    expect(server.app.services.keys.find(kid!)).toBeUndefined();
    expect(errorCodes(await server.gql(ME, {}, { token: user.accessToken }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('updateProfile', () => {
  const UPDATE = `mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { givenName phone personalCode iban full: personalCode(unmasked: true) fullIban: iban(unmasked: true) } }`;

  it('needs a signed-in account', async () => {
    expect(errorCodes(await server.gql(UPDATE, { i: { givenName: 'X' } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('validates personal code and IBAN, stores them encrypted and masks them on output', async () => {
    const user = await signUp(server);
    const r = await server.gql(
      UPDATE,
      { i: { personalCode: '320000-00000', iban: 'LV80 BANK 0000 4351 9500 1', phone: '+371 2000 0000' } },
      { token: user.accessToken },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.updateProfile).toMatchObject({
      personalCode: '32*********',
      full: '320000-00000',
      iban: 'LV*******************',
      fullIban: 'LV80BANK0000435195001',
      phone: '+37120000000',
    });
    const row = await server.app.services.prisma.account.findUniqueOrThrow({ where: { email: user.email } });
    expect(row.personalCodeEnc).toMatch(/^v1\./);
    expect(row.personalCodeEnc).not.toContain('320000');
    expect(row.ibanEnc).not.toContain('BANK');

    const bad = await server.gql(UPDATE, { i: { personalCode: '010101-12345' } }, { token: user.accessToken });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.personalCode' });
    const badIban = await server.gql(UPDATE, { i: { iban: 'LV80BANK0000435195002' } }, { token: user.accessToken });
    expect(badIban.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.iban' });
  });
});
