/**
 * The /demo live dashboard, end to end in real headless Chromium: it signs in
 * as the demo customer, draws their own and shared devices, and a location
 * recorded through the API appears on the page within a second.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { createClient, RecordLocationsDocument, RegisterDeviceDocument } from '../generated/sdk';
import { seedDemoData, DEMO_PASSWORD } from '../seeds';
import { loadConfig } from '../api/config';
import { demoPageEnabled } from '../server/demo/route';
import { startTestServer, type TestServer } from './helpers/server';

const artifacts = join(import.meta.dirname, '..', 'test-artifacts');

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  server = await startTestServer();
  await seedDemoData(server.app);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('/demo live dashboard', () => {
  it("shows the demo customer's and shared devices, and a new fix within a second, with nothing from the internet", async () => {
    // A device of the demo customer that the test can speak for (seeded devices' tokens are not kept).
    const anna = createClient({ url: server.graphqlUrl });
    await anna.signIn({ email: 'anna@example.lv', password: DEMO_PASSWORD });
    const { registerDevice } = await anna.request(RegisterDeviceDocument, { input: { name: 'Test tracker', kind: 'TRACKER' } });
    const tracker = createClient({ url: server.graphqlUrl, deviceToken: registerDevice.deviceToken });
    const deviceId = registerDevice.device.id;
    let step = 0;
    const record = async () => {
      const recordedAt = new Date(Date.now() - 1000 + ++step).toISOString();
      await tracker.request(RecordLocationsDocument, {
        input: { points: [{ recordedAt, latitude: 56.95 + step * 0.0005, longitude: 24.11 }] },
      });
      return recordedAt;
    };
    await record();

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url)) foreign.push(r.url());
    });
    await page.goto(`${server.url}/demo`);
    await page.waitForSelector(`#devices li[data-device-id="${deviceId}"]`, { timeout: 15_000 });
    await expect.poll(() => page.textContent('#status')).toMatch(/^Live/);
    const names = await page.$$eval('#devices li strong', (els) => els.map((e) => e.textContent));
    expect(names).toContain('Test tracker');
    // Līga shares her watch with Anna in the demo data.
    expect(await page.textContent('#devices')).toContain('shared by');
    expect(await page.$$eval('#map .marker', (els) => els.length)).toBeGreaterThanOrEqual(2);

    // The subscription is set up asynchronously after the page loads: wait until fixes arrive at all.
    const marker = (recordedAt: string) => `#map .marker[data-device-id="${deviceId}"][data-recorded-at="${recordedAt}"]`;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const shown = await page.waitForSelector(marker(await record()), { timeout: 500 }).then(
        () => true,
        () => false,
      );
      if (shown) break;
      if (Date.now() > deadline) throw new Error('no live update reached the page');
    }

    // Now the measured one: recorded through the API, on the map within a second.
    const started = Date.now();
    const recordedAt = await record();
    await page.waitForSelector(marker(recordedAt), { timeout: 1000 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await page.textContent(`#devices li[data-device-id="${deviceId}"]`)).toContain((56.95 + step * 0.0005).toFixed(5));

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'demo-dashboard.png') });
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('is off in production and when DEMO_PAGE=false', async () => {
    const env = { NODE_ENV: 'production', PUBLIC_URL: 'https://track.example.lv', MAIL: 'off' };
    expect(demoPageEnabled(loadConfig({ ...env, DATA_DIR: server.dataDir }))).toBe(false);
    expect(demoPageEnabled(loadConfig({ NODE_ENV: 'development', DATA_DIR: server.dataDir, DEMO_PAGE: 'false' }))).toBe(false);
    expect(demoPageEnabled(loadConfig({ NODE_ENV: 'development', DATA_DIR: server.dataDir }))).toBe(true);
    const off = await startTestServer({ plugins: [], env: { DEMO_PAGE: 'false' } });
    try {
      expect((await fetch(`${off.url}/demo`)).status).toBe(404);
    } finally {
      await off.stop();
    }
    expect((await fetch(`${server.url}/demo`)).status).toBe(200);
  });
});
