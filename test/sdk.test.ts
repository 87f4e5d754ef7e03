/**
 * The typed SDK (generated/sdk) against the running server, over HTTP and
 * WebSocket: what integrators get is proven, not just generated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { createClient, isSdkError, SdkError, LoginDocument, MeDocument, RegisterDocument, UpdateProfileDocument, type SessionTokens } from '../generated/sdk';
import { startTestServer, signUp, uniqueEmail, type TestServer } from './helpers/server';
import { PRIVACY_POLICY_VERSION } from '../seeds/policies';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

/** A correctly signed access token of the same session that expired an hour ago. */
async function expiredAccessToken(accessToken: string) {
  const claims = decodeJwt(accessToken);
  const { token } = await server.app.services.tokens.signAccessToken(
    { accountId: claims.sub!, sessionId: claims.sid as string, roles: claims.roles as never },
    new Date(Date.now() - 2 * 3600_000),
  );
  return token;
}

describe('SDK: auth', () => {
  it('registers, reads and updates the profile with typed operations', async () => {
    const client = createClient({ url: server.graphqlUrl });
    const email = uniqueEmail('sdk');
    const { register } = await client.request(RegisterDocument, {
      input: { email, password: 'a long password', givenName: 'Ilze', privacyPolicyVersion: PRIVACY_POLICY_VERSION },
    });
    expect(register.account).toMatchObject({ email, givenName: 'Ilze', roles: ['CUSTOMER'] });
    client.setTokens(register);

    const { me } = await client.request(MeDocument);
    expect(me?.email).toBe(email);
    const { updateProfile } = await client.request(UpdateProfileDocument, { input: { phone: '+37120000000' } });
    expect(updateProfile.phone).toBe('+37120000000');
  });

  it('signIn keeps the tokens and reports them through onTokens; signOut ends the session', async () => {
    const user = await signUp(server);
    const seen: (SessionTokens | null)[] = [];
    const client = createClient({ url: server.graphqlUrl, onTokens: (t) => seen.push(t) });
    const login = await client.signIn({ email: user.email, password: user.password });
    expect(login.account.email).toBe(user.email);
    expect(seen).toEqual([expect.objectContaining({ accessToken: login.accessToken, refreshToken: login.refreshToken })]);
    const oldAccess = client.tokens.accessToken!;

    await client.signOut();
    expect(seen.at(-1)).toBeNull();
    expect(client.tokens).toMatchObject({ accessToken: null, refreshToken: null });
    // The server ended the session: the old access token no longer works.
    const stale = createClient({ url: server.graphqlUrl, accessToken: oldAccess });
    await expect(stale.request(MeDocument)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('throws SdkError with the contract code and the input field', async () => {
    const client = createClient({ url: server.graphqlUrl });
    const error = await client
      .request(RegisterDocument, { input: { email: 'not-an-email', password: 'a long password', privacyPolicyVersion: PRIVACY_POLICY_VERSION } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SdkError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
    const wrong = await client.request(LoginDocument, { input: { email: uniqueEmail(), password: 'not the password' } }).catch((e: unknown) => e);
    expect(isSdkError(wrong, 'UNAUTHENTICATED')).toBe(true);
  });

  it('reports an unreachable server as NETWORK_ERROR', async () => {
    const client = createClient({ url: 'http://127.0.0.1:9/graphql' });
    await expect(client.request(MeDocument)).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('refreshes an expired access token once, shared by concurrent requests, and retries', async () => {
    const user = await signUp(server);
    const seen: (SessionTokens | null)[] = [];
    const client = createClient({
      url: server.graphqlUrl,
      accessToken: await expiredAccessToken(user.accessToken),
      refreshToken: user.refreshToken,
      onTokens: (t) => seen.push(t),
    });
    const results = await Promise.all([client.request(MeDocument), client.request(MeDocument), client.request(MeDocument)]);
    expect(results.map((r) => r.me?.email)).toEqual([user.email, user.email, user.email]);
    // One refresh: refresh tokens are single use, so a second one would have revoked the session.
    expect(seen).toHaveLength(1);
    expect(client.tokens.refreshToken).toBe(seen[0]!.refreshToken);
    expect(client.tokens.refreshToken).not.toBe(user.refreshToken);
  });

  it('gives up with UNAUTHENTICATED and clears the tokens when the session cannot be refreshed', async () => {
    const seen: (SessionTokens | null)[] = [];
    const client = createClient({ url: server.graphqlUrl, accessToken: 'not.a.token', refreshToken: 'not-a-refresh-token', onTokens: (t) => seen.push(t) });
    await expect(client.request(MeDocument)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(seen).toEqual([null]);
  });
});
