import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../api/config';
import { createLogger } from '../api/logger';
import { createMailer } from '../api/mail/mailer';
import { startTestSmtp, type TestSmtp } from './helpers/smtp';

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
});
afterAll(() => smtp.close());

describe('outgoing mail', () => {
  it('is delivered over SMTP from MAIL_FROM, with UTF-8 subject and body intact', async () => {
    const config = loadConfig({ NODE_ENV: 'test', SMTP_URL: smtp.url, MAIL_FROM: 'Serviss <no-reply@nikami.lv>' });
    const mailer = createMailer(config, createLogger('silent'));
    await mailer.send({
      to: 'anna@example.lv',
      subject: 'Apstipriniet e-pastu',
      text: 'Sveiki, Ānna!\nSaite: https://api.example.lv/verify-email?token=' + 'x'.repeat(120),
      kind: 'test',
    });
    mailer.close();
    const mail = await smtp.waitFor((m) => m.to.includes('anna@example.lv'));
    expect(mail.from).toBe('no-reply@nikami.lv');
    expect(mail.subject).toBe('Apstipriniet e-pastu');
    expect(mail.text).toContain('Sveiki, Ānna!');
    expect(mail.text).toContain('token=' + 'x'.repeat(120));
  });

  it('is written to the log in development without SMTP_URL, never with the body in production logs', async () => {
    const lines: string[] = [];
    const config = loadConfig({ NODE_ENV: 'development' });
    const mailer = createMailer(
      config,
      createLogger('info', (l) => lines.push(l)),
    );
    await mailer.send({ to: 'dev@example.lv', subject: 'Hello', text: 'the body', kind: 'test' });
    expect(lines.join('\n')).toContain('the body');
  });

  it('is required in production unless MAIL=off', () => {
    const base = { NODE_ENV: 'production', PUBLIC_URL: 'https://api.example.lv' };
    expect(() => loadConfig(base)).toThrow(ConfigError);
    expect(() => loadConfig(base)).toThrow(/SMTP_URL must be set in production/);
    expect(loadConfig({ ...base, MAIL: 'off' }).mail.disabled).toBe(true);
    expect(loadConfig({ ...base, SMTP_URL: 'smtp://mail.internal:25' }).mail.smtpUrl).toBe('smtp://mail.internal:25');
    expect(() => loadConfig({ ...base, SMTP_URL: 'http://x' })).toThrow(/SMTP_URL must be an smtp/);
  });
});
