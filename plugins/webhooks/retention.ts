/**
 * The delivery log's retention: a delivery keeps the event's payload (for a
 * LOCATION_RECORDED event, positions), so the log may not outlive its use
 * (troubleshooting an endpoint) nor the points themselves. Deliveries older
 * than RETENTION_WEBHOOK_DELIVERIES (default P30D) are deleted by the
 * retention run once they are final; one still pending or being delivered
 * is left for the next run (retries end 24 h after the event).
 */
import { purgeRows, type RetentionPurger } from '../../schema/plugin-api';
import { webhookSettings } from './config';

const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export const webhookDeliveriesPurger: RetentionPurger = {
  dataCategory: 'WEBHOOK_DELIVERIES',
  env: 'RETENTION_WEBHOOK_DELIVERIES',
  period: (app) => webhookSettings.of(app).deliveriesRetention,
  description: {
    EN: 'The log of webhook deliveries (with the events sent, locations included) is deleted this long after the event.',
    LV: 'Tīmekļa āķu piegāžu žurnāls (ar nosūtītajiem notikumiem, arī atrašanās vietām) tiek dzēsts pēc šī laika kopš notikuma.',
  },
  ...purgeRows({
    table: (db) => db.webhookDelivery,
    expired: (cutoff) => ({ createdAt: { lt: cutoff }, status: { in: FINAL } }),
    ownedBy: (accounts) => ({ webhook: { accountId: accounts } }),
  }),
};
