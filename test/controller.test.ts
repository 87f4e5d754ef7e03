/** The public `controller` query: configured by CONTROLLER_*, defaulting to the privacy policy's facts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../api/config';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ plugins: [], env: { CONTROLLER_PHONE: '+371 67000000', CONTROLLER_ADDRESS: 'Brīvības iela 1, Rīga' } });
});
afterAll(() => server?.stop());

const QUERY = `{ controller { name registrationNumber address privacyEmail phone supervisoryAuthority { name url } } }`;

describe('controller', () => {
  it('is public, from configuration, with the policy facts as defaults', async () => {
    const r = await server.gql(QUERY);
    expect(r.errors).toBeUndefined();
    expect(r.data.controller).toEqual({
      name: 'SIA "NIKA MI"',
      registrationNumber: '40003278804',
      address: 'Brīvības iela 1, Rīga',
      privacyEmail: 'nikami@nikami.lv',
      phone: '+371 67000000',
      supervisoryAuthority: { name: 'Datu valsts inspekcija', url: 'https://www.dvi.gov.lv' },
    });
  });

  it('defaults to the address of the policy', () => {
    expect(loadConfig({}).controller.address).toBe('Mārupes iela 4, Rīga, LV-1002, Latvija');
  });

  it('refuses to start with an invalid contact, naming the variable', () => {
    let error: unknown;
    try {
      loadConfig({ CONTROLLER_PRIVACY_EMAIL: 'not-an-address', CONTROLLER_SUPERVISORY_AUTHORITY_URL: 'ftp://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toMatch(/CONTROLLER_PRIVACY_EMAIL[\s\S]*CONTROLLER_SUPERVISORY_AUTHORITY_URL/);
  });
});
