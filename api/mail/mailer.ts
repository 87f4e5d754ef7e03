/**
 * Outgoing e-mail. Every mail the platform sends (account verification,
 * password reset, receipts, answers, service notices) goes through this one
 * service, so delivery, sender and logging are configured once:
 *
 * - SMTP_URL set: nodemailer over SMTP (smtp:// or smtps://, credentials in the URL), from MAIL_FROM;
 * - development/test without SMTP_URL: the message is written to the log instead (nothing leaves the machine);
 * - production without SMTP_URL refuses to start (config.ts) unless MAIL=off, which drops mail with a warning.
 *
 * The log never holds a message body (it may contain single-use tokens), only the recipient's domain and the subject.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config';
import type { Logger } from '../logger';

export interface MailMessage {
  to: string;
  subject: string;
  /** Plain text body (always sent). */
  text: string;
  /** Optional HTML alternative. */
  html?: string;
  /** Stable id of what this mail is about (e.g. "verify-email"), for logs and tests. */
  kind: string;
}

export interface Mailer {
  /** Sends one message; rejects when the SMTP server refuses it (callers decide whether that fails the request). */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

export function createMailer(config: Config, logger: Logger): Mailer {
  const { smtpUrl, from, disabled } = config.mail;
  if (disabled) {
    return {
      async send(message) {
        logger.warn('mail disabled (MAIL=off): message dropped', { kind: message.kind, toDomain: domainOf(message.to) });
      },
      close() {},
    };
  }
  if (!smtpUrl) {
    return {
      async send(message) {
        // Development only (production requires SMTP_URL): the whole message, so a developer can follow links.
        logger.info('mail (no SMTP_URL: written to the log)', {
          kind: message.kind,
          mailTo: message.to,
          subject: message.subject,
          body: message.text,
        });
      },
      close() {},
    };
  }
  const transport: Transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text, html: message.html });
      logger.info('mail sent', { kind: message.kind, toDomain: domainOf(message.to) });
    },
    close() {
      transport.close();
    },
  };
}
