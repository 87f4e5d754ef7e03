/**
 * The delivery log's retention: a delivery keeps the event's payload (for a
 * LOCATION_RECORDED event, positions), so the log may not outlive its use
 * (troubleshooting an endpoint) nor the points themselves. Deliveries older
 * than RETENTION_WEBHOOK_DELIVERIES (default P30D) are deleted by the
 * retention run once they are final; one still pending or being delivered
 * is left for the next run (retries end 24 h after the event).
 */
import type { RetentionPurger } from '../../schema/plugin-api';
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
  async count({ app, cutoff, held }) {
    const base = { createdAt: { lt: cutoff }, status: { in: FINAL } };
    const [eligible, kept] = await Promise.all([
      app.prisma.webhookDelivery.count({ where: { ...base, webhook: { accountId: { notIn: held } } } }),
      held.length ? app.prisma.webhookDelivery.count({ where: { ...base, webhook: { accountId: { in: held } } } }) : 0,
    ]);
    return { eligible, held: kept };
  },
  async deleteBatch({ cutoff, held }, tx, limit) {
    const rows = await tx.webhookDelivery.findMany({
      where: { createdAt: { lt: cutoff }, status: { in: FINAL }, webhook: { accountId: { notIn: held } } },
      select: { id: true },
      take: limit,
    });
    if (!rows.length) return 0;
    return (await tx.webhookDelivery.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })).count;
  },
};
