import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ plugins: ['data-region'], env: { DATA_REGION: 'ee' } });
});
afterAll(() => server?.stop());

it('tells anyone where personal data is kept, as configured', async () => {
  const r = await server.gql(`{ dataRegion { code withinEea } }`);
  expect(r.data).toEqual({ dataRegion: { code: 'EE', withinEea: true } });
});
