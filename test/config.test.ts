import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../api/config';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('configuration', () => {
  it('has working defaults: embedded database in ./data, port 4000, demo data outside production', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      databaseUrl: null,
      demoData: true,
      graphiql: true,
      dataRegion: 'LV',
      plugins: null,
    });
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.jwt.accessTokenTtlSeconds).toBe(900);
  });

  it('compiles hot queries after 10 runs by default; GRAPHQL_COMPILE_AFTER sets the count or turns it off', () => {
    expect(loadConfig({}).compileQueriesAfter).toBe(10);
    expect(loadConfig({ GRAPHQL_COMPILE_AFTER: '0' }).compileQueriesAfter).toBe(0);
    expect(loadConfig({ GRAPHQL_COMPILE_AFTER: 'never' }).compileQueriesAfter).toBeNull();
  });

  it('sends hot statements prepared unless DATABASE_PREPARED_STATEMENTS=off (a pooler in transaction mode)', () => {
    expect(loadConfig({}).databasePreparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'off' }).databasePreparedStatements).toBe(false);
  });

  it('respects PORT, HOST, DATA_DIR and DATABASE_URL', () => {
    const c = loadConfig({ PORT: '5001', HOST: '127.0.0.1', DATA_DIR: '/tmp/x', DATABASE_URL: 'postgresql://u@h:5432/db' });
    expect(c).toMatchObject({ port: 5001, host: '127.0.0.1', dataDir: '/tmp/x', databaseUrl: 'postgresql://u@h:5432/db' });
  });

  it('names every bad variable with what it expects, all at once', () => {
    const found = problems({
      PORT: 'eighty',
      NODE_ENV: 'staging',
      DATABASE_URL: 'mysql://x',
      ACCESS_TOKEN_TTL: '15 minutes',
      DATA_REGION: 'US',
      TLS_CERT_FILE: '/x.pem',
      DEMO_DATA: 'maybe',
      PLUGINS: 'Marketing!',
      REDIS_URL: 'http://x',
      LOG_LEVEL: 'loud',
      RETENTION_LOCATION_POINTS: '90 days',
      GRAPHQL_COMPILE_AFTER: 'soon',
      DATABASE_PREPARED_STATEMENTS: 'sometimes',
    });
    const expected = [
      'PORT',
      'NODE_ENV',
      'DATABASE_URL',
      'ACCESS_TOKEN_TTL',
      'DATA_REGION',
      'TLS_CERT_FILE',
      'DEMO_DATA',
      'PLUGINS',
      'REDIS_URL',
      'LOG_LEVEL',
      'RETENTION_LOCATION_POINTS',
      'GRAPHQL_COMPILE_AFTER',
      'DATABASE_PREPARED_STATEMENTS',
    ];
    for (const name of expected) expect(found.some((p) => p.startsWith(name))).toBe(true);
    expect(found.find((p) => p.startsWith('PORT'))).toContain('"eighty"');
  });

  it('refuses a data region outside the EU/EEA', () => {
    expect(problems({ DATA_REGION: 'US' })[0]).toMatch(/EU\/EEA/);
    expect(problems({ DATA_REGION: 'de' })).toEqual([]);
  });

  it('requires https and long-lived-token limits in production, and turns demo data off', () => {
    expect(problems({ NODE_ENV: 'production', PUBLIC_URL: 'http://api.example.lv' })[0]).toMatch(/https/);
    expect(problems({ ACCESS_TOKEN_TTL: 'P1D' })[0]).toMatch(/at most PT1H/);
    const c = loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://api.example.lv', MAIL: 'off' });
    expect(c).toMatchObject({ demoData: false, graphiql: false, hsts: true });
  });

  it('PLUGINS=none means no plugins; a list is split and trimmed', () => {
    expect(loadConfig({ PLUGINS: 'none' }).plugins).toEqual([]);
    expect(loadConfig({ PLUGINS: 'cookies, marketing' }).plugins).toEqual(['cookies', 'marketing']);
  });
});
