/**
 * POST /payments/stripe/webhook: card payments reported by Stripe. The
 * Stripe-Signature header is verified locally with the official package
 * (no network call) against STRIPE_WEBHOOK_SECRET, over the raw body. Each
 * event is handled once (its id is stored in the same transaction as its
 * effect), so a replay answers 200 and changes nothing. A bad signature
 * answers 400 and stores nothing; an event for an invoice we do not know is
 * answered 200 (Stripe would retry otherwise) and logged for staff.
 */
import Stripe from 'stripe';
import type { AppServices, PluginRoute } from '../../schema/plugin-api';
import { billingSettings } from './config';
import { applyPayment } from './payments';

const clients = new WeakMap<AppServices, Stripe>();
function stripeOf(app: AppServices): Stripe {
  let client = clients.get(app);
  if (!client) clients.set(app, (client = new Stripe(billingSettings.of(app).stripeApiKey)));
  return client;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

type Outcome = 'PAYMENT_RECORDED' | 'UNKNOWN_INVOICE' | 'CURRENCY_MISMATCH' | 'IGNORED' | 'REPLAYED';

export async function handleStripeEvent(app: AppServices, event: Stripe.Event): Promise<Outcome> {
  const intent = event.type === 'payment_intent.succeeded' ? (event.data.object as Stripe.PaymentIntent) : null;
  const invoiceNumber = intent?.metadata?.invoiceNumber ?? null;
  return app.prisma.$transaction(async (tx) => {
    // Claim the event id first: a concurrent or later replay finds it and stops here.
    const claimed = await tx.paymentProviderEvent.createMany({
      data: [{ id: event.id, provider: 'STRIPE', type: event.type, outcome: 'IGNORED', invoiceNumber }],
      skipDuplicates: true,
    });
    if (claimed.count === 0) return 'REPLAYED';
    if (!intent) return 'IGNORED';
    let outcome: Outcome = 'UNKNOWN_INVOICE';
    const currency = intent.currency.toUpperCase();
    const invoice = invoiceNumber ? await tx.invoice.findUnique({ where: { number: invoiceNumber }, select: { currency: true } }) : null;
    if (invoice && invoice.currency !== currency) outcome = 'CURRENCY_MISMATCH';
    else if (invoice && invoiceNumber) {
      const applied = await applyPayment(
        app,
        tx,
        {
          invoiceNumber,
          amountCents: intent.amount_received,
          currency,
          receivedAt: new Date(event.created * 1000),
          provider: 'STRIPE',
          providerReference: intent.id,
        },
        { kind: 'SYSTEM', accountId: null },
      );
      if (applied) outcome = 'PAYMENT_RECORDED';
    }
    await tx.paymentProviderEvent.update({ where: { id: event.id }, data: { outcome } });
    return outcome;
  });
}

export const stripeWebhookRoute: PluginRoute = {
  method: 'POST',
  path: '/payments/stripe/webhook',
  async handler(request, app) {
    const secret = billingSettings.of(app).stripeWebhookSecret;
    if (!secret) return json(503, { error: 'Card payments are not configured (STRIPE_WEBHOOK_SECRET).' });
    const signature = request.headers.get('stripe-signature');
    const raw = await request.text();
    let event: Stripe.Event;
    try {
      if (!signature) throw new Error('no Stripe-Signature header');
      event = stripeOf(app).webhooks.constructEvent(raw, signature, secret);
    } catch (e) {
      app.logger.warn('stripe webhook: signature refused', { reason: e instanceof Error ? e.message : String(e) });
      return json(400, { error: 'Invalid signature.' });
    }
    const outcome = await handleStripeEvent(app, event);
    if (outcome === 'UNKNOWN_INVOICE' || outcome === 'CURRENCY_MISMATCH') {
      // For staff: listed in unmatchedPaymentEvents, and in the logs.
      app.logger.warn('stripe webhook: payment not matched to an invoice', { eventId: event.id, outcome });
    }
    return json(200, { received: true, outcome });
  },
};
