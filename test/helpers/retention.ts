/**
 * Retention as the API shows it, for tests of plugins' retention categories:
 * the public list of rules, and a real (not dry) run started by a DPO.
 */
import { signUpStaff, type TestServer } from './server';

export async function retentionRules(server: TestServer): Promise<{ dataCategory: string; period: string }[]> {
  const r = await server.gql(`{ retentionRules { dataCategory period } }`);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.retentionRules;
}

/** Runs retention now (dryRun: false) as a new DPO; returns what each category deleted. */
export async function runRetentionAsDpo(server: TestServer): Promise<{ dataCategory: string; deleted: number }[]> {
  const dpo = await signUpStaff(server, ['DPO']);
  const r = await server.gql(
    `mutation { runRetention(dryRun: false) { results { dataCategory deleted } } }`,
    {},
    { token: dpo.accessToken },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.runRetention.results;
}
