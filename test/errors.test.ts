import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, signUp, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ plugins: [] });
});
afterAll(() => server?.stop());

describe('errors use the contract codes', () => {
  it('a query that does not parse is BAD_USER_INPUT', async () => {
    const r = await server.gql('{ me { email ');
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a field that does not exist is BAD_USER_INPUT', async () => {
    const r = await server.gql('{ me { password } }');
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a variable of the wrong type is BAD_USER_INPUT naming the input path', async () => {
    const r = await server.gql('mutation($i: LoginInput!) { login(input: $i) { accessToken } }', { i: { email: 7, password: ['x'] } });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: expect.stringMatching(/^i\./) });
  });

  it('operations past the limits are refused before they run (depth, aliases)', async () => {
    const chain = (levels: number) => 'lastLocation { device { '.repeat(levels) + 'name' + ' } }'.repeat(levels);
    const id = Buffer.from('Device:00000000-0000-0000-0000-000000000000').toString('base64');
    const shallow = await server.gql(`{ node(id: "${id}") { ... on Device { ${chain(3)} } } }`);
    expect(shallow.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const deep = await server.gql(`{ node(id: "${id}") { ... on Device { ${chain(6)} } } }`);
    expect(deep.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(deep.errors?.[0].message).toMatch(/depth/i);

    const aliases = await server.gql(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: me { id }`).join(' ')} }`);
    expect(aliases.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(aliases.errors?.[0].message).toMatch(/alias/i);
  });

  it('unexpected failures are masked: no stack, no SQL, no internals', async () => {
    const user = await signUp(server);
    // Break the database under the running server: every request now hits an SQL error.
    await server.app.services.prisma.$executeRawUnsafe('DROP TABLE "Session" CASCADE');
    const r = await server.gql('{ me { email } }', {}, { token: user.accessToken });
    const body = JSON.stringify(r);
    expect(r.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(r.errors?.[0].message).toBe('Unexpected error.');
    expect(body).not.toMatch(/stack|SELECT|relation|Session|prisma|pglite|at .*\.ts/i);
  });
});
