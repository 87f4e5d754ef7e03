import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { errorCodes, signUp, signUpStaff, startTestServer, type SignedIn, type TestServer } from '../../test/helpers/server';
import { runBilling } from './renewal';
import { CancelSubscriptionDocument, MyBillingDocument, ServicePlansDocument, SubscribeDocument } from '../../generated/sdk';

const SECRET = 'whsec_test_billing_secret';
const stripe = new Stripe('sk_test_unused');
let server: TestServer;
let accounting: SignedIn;
let marketer: SignedIn;
let dpo: SignedIn;
let support: SignedIn;
const db = () => server.app.services.prisma;
const rawId = (g: string) => decodeGlobalID(g).id;
const YEAR = new Date().getUTCFullYear();

beforeAll(async () => {
  server = await startTestServer({
    plugins: ['audit', 'retention', 'rights', 'marketing', 'billing'],
    env: { STRIPE_WEBHOOK_SECRET: SECRET, BILLING_INTERVAL: 'off', RETENTION_INTERVAL: 'off' },
  });
  accounting = await signUpStaff(server, ['ACCOUNTING']);
  marketer = await signUpStaff(server, ['MARKETING']);
  dpo = await signUpStaff(server, ['DPO']);
  support = await signUpStaff(server, ['SUPPORT']);
});
afterAll(() => server?.stop());

const SUBSCRIBE = `mutation($i: SubscribeInput!) { subscribe(input: $i) { id status currentPeriodEnd plan { code } invoices { number status totalCents vatCents currency buyerName } } }`;
const MINE = `{ me { subscriptions { id status currentPeriodEnd cancelledAt } invoices { id number status paidAt accountDeleted } payments { amountCents currency provider providerReference payerIban } debtCases { id closedAt } } }`;
const INVOICE = `query($n: String!) { invoice(number: $n) { id number status accountDeleted buyerName buyerAddress totalCents payments { amountCents providerReference } } }`;

async function subscribeTo(user: SignedIn, planCode = 'TRACKING_MONTHLY') {
  const r = await server.gql(SUBSCRIBE, { i: { planCode } }, { token: user.accessToken });
  expect(r.errors).toBeUndefined();
  return r.data.subscribe as { id: string; status: string; invoices: { number: string; totalCents: number }[] };
}

function paymentEvent(invoiceNumber: string, amount: number, id = `evt_${Math.random().toString(36).slice(2)}`) {
  return JSON.stringify({
    id,
    object: 'event',
    type: 'payment_intent.succeeded',
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: `pi_${id}`, object: 'payment_intent', amount_received: amount, currency: 'eur', metadata: { invoiceNumber } } },
  });
}

async function postWebhook(payload: string, secret = SECRET) {
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
  const res = await fetch(`${server.url}/payments/stripe/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: payload,
  });
  return { status: res.status, body: (await res.json()) as { outcome?: string } };
}

async function pay(user: SignedIn) {
  const sub = await subscribeTo(user);
  const invoice = sub.invoices[0];
  expect((await postWebhook(paymentEvent(invoice.number, invoice.totalCents))).status).toBe(200);
  return { sub, invoice };
}

describe('plans and subscriptions', () => {
  it('lists the plans publicly', async () => {
    const r = await server.gql(`{ servicePlans { code name(locale: EN) priceCents currency period } }`);
    expect(r.data.servicePlans).toEqual([
      { code: 'TRACKING_MONTHLY', name: 'Tracking, monthly plan', priceCents: 499, currency: 'EUR', period: 'P1M' },
      { code: 'TRACKING_YEARLY', name: 'Tracking, yearly plan', priceCents: 4990, currency: 'EUR', period: 'P1Y' },
    ]);
  });

  it('subscribe creates a PENDING_PAYMENT subscription and its first OPEN invoice with the buyer as on the account', async () => {
    const user = await signUp(server, { givenName: 'Anna', familyName: 'Bērziņa' });
    await server.gql(`mutation { updateProfile(input: { address: "Brīvības iela 1, Rīga" }) { id } }`, {}, { token: user.accessToken });
    const sub = await subscribeTo(user, 'TRACKING_YEARLY');
    expect(sub).toMatchObject({ status: 'PENDING_PAYMENT', currentPeriodEnd: null, plan: { code: 'TRACKING_YEARLY' } });
    expect(sub.invoices[0]).toMatchObject({ status: 'OPEN', totalCents: 4990, vatCents: 866, currency: 'EUR', buyerName: 'Anna Bērziņa' });
    expect(sub.invoices[0].number).toMatch(new RegExp(`^${YEAR}-\\d{6}$`));
    const inv = await db().invoice.findUniqueOrThrow({ where: { number: sub.invoices[0].number } });
    expect(inv.buyerAddress).toBe('Brīvības iela 1, Rīga');
  });

  it('refuses an unknown plan and another person’s device, and changes nothing', async () => {
    const user = await signUp(server);
    const other = await signUp(server);
    const device = await db().device.create({ data: { ownerId: rawId(other.id), name: 'Other', kind: 'TRACKER' } });
    const before = await db().invoice.count();
    const bad = await server.gql(SUBSCRIBE, { i: { planCode: 'NOPE' } }, { token: user.accessToken });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.planCode' });
    const foreign = await server.gql(
      SUBSCRIBE,
      { i: { planCode: 'TRACKING_MONTHLY', deviceId: encodeGlobalID('Device', device.id) } },
      { token: user.accessToken },
    );
    expect(foreign.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.deviceId' });
    expect(await db().invoice.count()).toBe(before);
    expect(errorCodes(await server.gql(SUBSCRIBE, { i: { planCode: 'TRACKING_MONTHLY' } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('the owner cancels at any time: no renewal, service until currentPeriodEnd; nobody else can', async () => {
    const user = await signUp(server);
    const other = await signUp(server);
    const { sub } = await pay(user);
    const CANCEL = `mutation($id: ID!) { cancelSubscription(id: $id) { status cancelledAt currentPeriodEnd } }`;
    expect(errorCodes(await server.gql(CANCEL, { id: sub.id }, { token: other.accessToken }))).toEqual(['NOT_FOUND']);
    const r = await server.gql(CANCEL, { id: sub.id }, { token: user.accessToken });
    expect(r.data.cancelSubscription.status).toBe('ACTIVE');
    expect(r.data.cancelSubscription.cancelledAt).not.toBeNull();
    const end = new Date(r.data.cancelSubscription.currentPeriodEnd);
    // The job ends it at currentPeriodEnd and issues no renewal invoice.
    const invoicesBefore = await db().invoice.count({ where: { subscriptionId: rawId(sub.id) } });
    await runBilling(server.app.services, new Date(end.getTime() + 1000));
    expect(await db().invoice.count({ where: { subscriptionId: rawId(sub.id) } })).toBe(invoicesBefore);
    expect((await db().subscription.findUniqueOrThrow({ where: { id: rawId(sub.id) } })).status).toBe('ENDED');
  });
});

describe('Stripe webhook', () => {
  it('a paid invoice activates the subscription; the replayed event changes nothing', async () => {
    const user = await signUp(server);
    const sub = await subscribeTo(user);
    const invoice = sub.invoices[0];
    const payload = paymentEvent(invoice.number, invoice.totalCents, 'evt_replay_1');
    const first = await postWebhook(payload);
    expect(first).toEqual({ status: 200, body: { received: true, outcome: 'PAYMENT_RECORDED' } });
    const mine = (await server.gql(MINE, {}, { token: user.accessToken })).data.me;
    expect(mine.subscriptions[0].status).toBe('ACTIVE');
    expect(new Date(mine.subscriptions[0].currentPeriodEnd).getTime()).toBeGreaterThan(Date.now() + 27 * 86400_000);
    expect(mine.invoices[0]).toMatchObject({ number: invoice.number, status: 'PAID' });
    expect(mine.payments).toEqual([
      { amountCents: 499, currency: 'EUR', provider: 'STRIPE', providerReference: 'pi_evt_replay_1', payerIban: null },
    ]);

    const snapshot = await db().subscription.findUniqueOrThrow({ where: { id: rawId(sub.id) } });
    const replay = await postWebhook(payload);
    expect(replay).toEqual({ status: 200, body: { received: true, outcome: 'REPLAYED' } });
    expect(await db().payment.count({ where: { invoice: { number: invoice.number } } })).toBe(1);
    expect(await db().subscription.findUniqueOrThrow({ where: { id: rawId(sub.id) } })).toEqual(snapshot);
  });

  it('a forged signature answers 400 and stores nothing', async () => {
    const user = await signUp(server);
    const invoice = (await subscribeTo(user)).invoices[0];
    const payload = paymentEvent(invoice.number, invoice.totalCents, 'evt_forged_1');
    const forged = await postWebhook(payload, 'whsec_not_ours');
    expect(forged.status).toBe(400);
    const tampered = await fetch(`${server.url}/payments/stripe/webhook`, {
      method: 'POST',
      headers: { 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }) },
      body: payload.replace(String(invoice.totalCents), '1'),
    });
    expect(tampered.status).toBe(400);
    const unsigned = await fetch(`${server.url}/payments/stripe/webhook`, { method: 'POST', body: payload });
    expect(unsigned.status).toBe(400);
    expect(await db().paymentProviderEvent.count({ where: { id: 'evt_forged_1' } })).toBe(0);
    expect(await db().payment.count({ where: { invoice: { number: invoice.number } } })).toBe(0);
    expect((await db().invoice.findUniqueOrThrow({ where: { number: invoice.number } })).status).toBe('OPEN');
  });

  it('an unknown invoice is answered 200 and listed for ACCOUNTING only', async () => {
    const r = await postWebhook(paymentEvent('1999-999999', 500, 'evt_unknown_1'));
    expect(r).toEqual({ status: 200, body: { received: true, outcome: 'UNKNOWN_INVOICE' } });
    const Q = `{ unmatchedPaymentEvents { id outcome invoiceNumber } }`;
    const list = await server.gql(Q, {}, { token: accounting.accessToken });
    expect(list.data.unmatchedPaymentEvents).toContainEqual({
      id: 'evt_unknown_1',
      outcome: 'UNKNOWN_INVOICE',
      invoiceNumber: '1999-999999',
    });
    expect(errorCodes(await server.gql(Q, {}, { token: marketer.accessToken }))).toEqual(['FORBIDDEN']);
  });
});

describe('bank transfers, renewal and debt', () => {
  const RECORD = `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { amountCents provider payerIban invoice { status } } }`;

  it('ACCOUNTING records a bank transfer (IBAN masked); a customer or MARKETING may not; a bad IBAN changes nothing', async () => {
    const user = await signUp(server);
    const invoice = (await subscribeTo(user)).invoices[0];
    const input = {
      invoiceNumber: invoice.number,
      amountCents: 499,
      receivedAt: new Date().toISOString(),
      payerIban: 'LV80BANK0000435195001',
      reference: 'Rēķins ' + invoice.number,
    };
    expect(errorCodes(await server.gql(RECORD, { i: input }, { token: user.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(RECORD, { i: input }, { token: marketer.accessToken }))).toEqual(['FORBIDDEN']);
    const bad = await server.gql(RECORD, { i: { ...input, payerIban: 'LV00NOPE' } }, { token: accounting.accessToken });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.payerIban' });
    expect(await db().payment.count({ where: { invoice: { number: invoice.number } } })).toBe(0);
    const ok = await server.gql(RECORD, { i: input }, { token: accounting.accessToken });
    expect(ok.data.recordPayment).toEqual({
      amountCents: 499,
      provider: 'BANK_TRANSFER',
      payerIban: 'LV*******************',
      invoice: { status: 'PAID' },
    });
    const stored = await db().payment.findFirstOrThrow({ where: { invoice: { number: invoice.number } } });
    expect(stored.payerIbanEnc).not.toContain('LV80BANK');
  });

  it('the job renews at currentPeriodEnd (one new invoice, also when run twice) and marks unpaid invoices overdue', async () => {
    const user = await signUp(server);
    const { sub } = await pay(user);
    const row = await db().subscription.findUniqueOrThrow({ where: { id: rawId(sub.id) } });
    const at = new Date(row.currentPeriodEnd!.getTime() + 1000);
    await runBilling(server.app.services, at);
    await runBilling(server.app.services, at);
    const invoices = await db().invoice.findMany({ where: { subscriptionId: row.id }, orderBy: { issuedAt: 'asc' } });
    expect(invoices).toHaveLength(2);
    expect(invoices[1]).toMatchObject({ status: 'OPEN', periodStart: row.currentPeriodEnd });
    await runBilling(server.app.services, new Date(invoices[1].dueAt.getTime() + 8 * 86400_000));
    expect((await db().invoice.findUniqueOrThrow({ where: { id: invoices[1].id } })).status).toBe('OVERDUE');
  });

  it('a debt case holds the account (no erasure) until it is closed; the person sees it in the export', async () => {
    const user = await signUp(server);
    const invoice = (await subscribeTo(user)).invoices[0];
    const OPEN = `mutation($n: String!) { openDebtCase(invoiceNumber: $n) { id closedAt invoice { number } } }`;
    expect(errorCodes(await server.gql(OPEN, { n: invoice.number }, { token: user.accessToken }))).toEqual(['FORBIDDEN']);
    const opened = await server.gql(OPEN, { n: invoice.number }, { token: accounting.accessToken });
    expect(opened.data.openDebtCase).toMatchObject({ closedAt: null, invoice: { number: invoice.number } });
    const del = await server.gql(
      `mutation($p: String!) { deleteMyAccount(password: $p) }`,
      { p: user.password },
      { token: user.accessToken },
    );
    expect(errorCodes(del)).toEqual(['CONFLICT']);

    const exp = await server.gql(`{ exportMyData(format: JSON) { content } }`, {}, { token: user.accessToken });
    const billing = exp.data.exportMyData.content.billing;
    expect(billing.invoices.map((i: { number: string }) => i.number)).toEqual([invoice.number]);
    expect(billing.debtCases).toMatchObject([{ invoiceNumber: invoice.number, closedAt: null }]);
    expect(billing.subscriptions).toHaveLength(1);

    await server.gql(
      `mutation($id: ID!) { closeDebtCase(id: $id) { closedAt } }`,
      { id: opened.data.openDebtCase.id },
      { token: accounting.accessToken },
    );
    const again = await server.gql(
      `mutation($p: String!) { deleteMyAccount(password: $p) }`,
      { p: user.password },
      { token: user.accessToken },
    );
    expect(again.data.deleteMyAccount).toBe(true);
  });
});

describe('identity check before some purchases', () => {
  it('answers IDENTITY_VERIFICATION_REQUIRED until SUPPORT with an access case records a check', async () => {
    await db().servicePlan.upsert({
      where: { code: 'TRACKER_LEASE' },
      update: {},
      create: {
        code: 'TRACKER_LEASE',
        nameLv: 'Noma',
        nameEn: 'Tracker lease',
        priceCents: 999,
        period: 'P1M',
        requiresIdentityCheck: true,
      },
    });
    const user = await signUp(server);
    const first = await server.gql(SUBSCRIBE, { i: { planCode: 'TRACKER_LEASE' } }, { token: user.accessToken });
    expect(errorCodes(first)).toEqual(['IDENTITY_VERIFICATION_REQUIRED']);
    const VERIFY = `mutation($a: ID!) { recordIdentityVerification(accountId: $a, method: EID) { method verifiedAt } }`;
    expect(errorCodes(await server.gql(VERIFY, { a: user.id }, { token: support.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(VERIFY, { a: user.id }, { token: marketer.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(VERIFY, { a: user.id }, { token: user.accessToken }))).toEqual(['FORBIDDEN']);
    await server.gql(
      `mutation($a: ID!) { openAccessCase(accountId: $a, reason: "Identity check at the office") { id } }`,
      { a: user.id },
      { token: support.accessToken },
    );
    const ok = await server.gql(VERIFY, { a: user.id }, { token: support.accessToken });
    expect(ok.data.recordIdentityVerification.method).toBe('EID');
    const sub = await server.gql(SUBSCRIBE, { i: { planCode: 'TRACKER_LEASE' } }, { token: user.accessToken });
    expect(sub.data.subscribe.status).toBe('PENDING_PAYMENT');
  });
});

describe('who may NOT read billing data', () => {
  it('another customer and MARKETING see none of it; ACCOUNTING reads invoices; staff need an access case for the account', async () => {
    const owner = await signUp(server);
    const other = await signUp(server);
    const { sub, invoice } = await pay(owner);
    const inv = await db().invoice.findUniqueOrThrow({ where: { number: invoice.number }, include: { payments: true } });
    const ids = [sub.id, encodeGlobalID('Invoice', inv.id), encodeGlobalID('Payment', inv.payments[0].id)];
    const NODE = `query($id: ID!) { node(id: $id) { id } }`;
    for (const id of ids) {
      expect(errorCodes(await server.gql(NODE, { id }, { token: other.accessToken }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await server.gql(NODE, { id }, { token: marketer.accessToken }))).toEqual(['NOT_FOUND']);
      expect((await server.gql(NODE, { id }, { token: owner.accessToken })).data.node.id).toBe(id);
    }
    const ACCOUNT = `query($id: ID!) { node(id: $id) { ... on Account { invoices { number } payments { amountCents } subscriptions { id } debtCases { id } keptAfterDeletion { count } } } }`;
    for (const viewer of [other, marketer, accounting]) {
      expect(errorCodes(await server.gql(ACCOUNT, { id: owner.id }, { token: viewer.accessToken }))).toContain('FORBIDDEN');
    }
    expect(errorCodes(await server.gql(INVOICE, { n: invoice.number }, { token: marketer.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(INVOICE, { n: invoice.number }, { token: owner.accessToken }))).toEqual(['FORBIDDEN']);
    expect((await server.gql(INVOICE, { n: invoice.number }, { token: accounting.accessToken })).data.invoice.status).toBe('PAID');
  });
});

describe('deletion and retention', () => {
  const RUN = `mutation { runRetention(dryRun: false) { results { dataCategory deleted held } } }`;
  const deleted = (r: any, c: string) => r.data.runRetention.results.find((x: { dataCategory: string }) => x.dataCategory === c);

  it('deletion keeps minimised invoices for ACCOUNTING, tells the person, and they are purged after RETENTION_ACCOUNTING_RECORDS', async () => {
    const user = await signUp(server, { givenName: 'Jānis', familyName: 'Kalniņš' });
    const device = await db().device.create({ data: { ownerId: rawId(user.id), name: 'Car', kind: 'TRACKER' } });
    const sub = await server.gql(
      SUBSCRIBE,
      { i: { planCode: 'TRACKING_MONTHLY', deviceId: encodeGlobalID('Device', device.id) } },
      { token: user.accessToken },
    );
    const invoice = sub.data.subscribe.invoices[0];
    await postWebhook(paymentEvent(invoice.number, invoice.totalCents));

    const notice = await server.gql(
      `{ me { keptAfterDeletion { dataCategory purpose count reason(locale: EN) keptUntil } } }`,
      {},
      { token: user.accessToken },
    );
    const kept = notice.data.me.keptAfterDeletion;
    expect(kept).toMatchObject([{ dataCategory: 'ACCOUNTING_RECORDS', purpose: 'PAYMENTS_TAX_RECORDS', count: 2 }]);
    expect(kept[0].reason).toMatch(/tax law/);
    expect(kept[0].keptUntil).toBe(new Date(Date.UTC(YEAR + 1 + 5, 0, 1)).toISOString());

    const del = await server.gql(
      `mutation($p: String!) { deleteMyAccountWithNotice(password: $p) { deleted kept { dataCategory purpose count keptUntil } } }`,
      { p: user.password },
      { token: user.accessToken },
    );
    expect(del.data.deleteMyAccountWithNotice).toEqual({
      deleted: true,
      kept: [{ dataCategory: 'ACCOUNTING_RECORDS', purpose: 'PAYMENTS_TAX_RECORDS', count: 2, keptUntil: kept[0].keptUntil }],
    });
    const after = await server.gql(INVOICE, { n: invoice.number }, { token: accounting.accessToken });
    expect(after.data.invoice).toMatchObject({
      number: invoice.number,
      status: 'PAID',
      accountDeleted: true,
      buyerName: 'Jānis Kalniņš',
      totalCents: 499,
    });
    expect(after.data.invoice.payments).toHaveLength(1);
    const row = await db().invoice.findUniqueOrThrow({ where: { number: invoice.number } });
    expect(row).toMatchObject({ accountId: null, subscriptionId: null });
    expect(await db().device.count({ where: { id: device.id } })).toBe(0);

    // Still within the period: the run keeps it.
    const early = await server.gql(RUN, {}, { token: dpo.accessToken });
    expect(deleted(early, 'ACCOUNTING_RECORDS').deleted).toBe(0);
    // Issued six years ago: past P5Y after the end of its year.
    await db().invoice.update({ where: { id: row.id }, data: { issuedAt: new Date(Date.UTC(YEAR - 6, 5, 1)) } });
    const late = await server.gql(RUN, {}, { token: dpo.accessToken });
    expect(deleted(late, 'ACCOUNTING_RECORDS').deleted).toBeGreaterThanOrEqual(1);
    expect(await db().invoice.count({ where: { id: row.id } })).toBe(0);
    expect(await db().payment.count({ where: { invoiceId: row.id } })).toBe(0);
    const rules = await server.gql(`{ retentionRules { dataCategory period } }`);
    expect(rules.data.retentionRules).toContainEqual({ dataCategory: 'ACCOUNTING_RECORDS', period: 'P5Y' });
  });

  it('an inactive account with an active subscription survives a retention run; the 6 months count from the end of the contract', async () => {
    const longAgo = new Date(Date.now() - 400 * 86400_000);
    const stale = { lastActiveAt: longAgo, scheduledDeletionAt: new Date(Date.now() - 200 * 86400_000) };
    const paying = await signUp(server);
    await pay(paying);
    const endedRecently = await signUp(server);
    const recent = await pay(endedRecently);
    const endedLongAgo = await signUp(server);
    const old = await pay(endedLongAgo);
    const nobody = await signUp(server);
    await db().subscription.update({
      where: { id: rawId(recent.sub.id) },
      data: { status: 'ENDED', currentPeriodEnd: new Date(Date.now() - 90 * 86400_000) },
    });
    await db().subscription.update({
      where: { id: rawId(old.sub.id) },
      data: { status: 'ENDED', currentPeriodEnd: new Date(Date.now() - 200 * 86400_000) },
    });
    for (const u of [paying, endedRecently, endedLongAgo, nobody]) await db().account.update({ where: { id: rawId(u.id) }, data: stale });

    await server.gql(RUN, {}, { token: dpo.accessToken });
    const left = await db().account.findMany({
      where: { id: { in: [paying, endedRecently, endedLongAgo, nobody].map((u) => rawId(u.id)) } },
      select: { id: true },
    });
    expect(left.map((a) => a.id).sort()).toEqual([rawId(paying.id), rawId(endedRecently.id)].sort());
    // The erased customer's invoice is kept, minimised.
    expect(await db().invoice.findUniqueOrThrow({ where: { number: old.invoice.number } })).toMatchObject({
      accountId: null,
      accountDeleted: true,
    });
  });
});

describe('soft opt-in needs a purchase', () => {
  it('similar-product notices go to customers with a paid invoice; others only with consent', async () => {
    const AUD = `query { marketingAudience(scope: SIMILAR_PRODUCTS, channel: EMAIL, first: 200) { edges { node { account { id } } } } }`;
    const buyer = await signUp(server);
    const browser = await signUp(server);
    const audience = async () => {
      const r = await server.gql(AUD, {}, { token: marketer.accessToken });
      expect(r.errors).toBeUndefined();
      return r.data.marketingAudience.edges.map((e: any) => e.node.account.id);
    };
    const prefs = async (u: SignedIn) =>
      (await server.gql(`{ me { marketing { similarProducts } } }`, {}, { token: u.accessToken })).data.me.marketing;
    expect(await audience()).not.toContain(buyer.id);
    expect(await prefs(buyer)).toEqual({ similarProducts: false });
    await pay(buyer);
    expect(await audience()).toContain(buyer.id);
    expect(await audience()).not.toContain(browser.id);
    expect(await prefs(buyer)).toEqual({ similarProducts: true });
    expect(await prefs(browser)).toEqual({ similarProducts: false });
    // Without a purchase, only consent lets similar-product notices through.
    const granted = await server.gql(
      `mutation($input: SetConsentInput!) { setConsent(input: $input) { granted } }`,
      { input: { purpose: 'MARKETING_EMAIL', granted: true } },
      { token: browser.accessToken },
    );
    expect(granted.errors).toBeUndefined();
    expect(await audience()).toContain(browser.id);
    expect(await prefs(browser)).toEqual({ similarProducts: true });
  });
});

describe('invoice numbers', () => {
  it('stay gap-free under concurrent subscribe calls', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => signUp(server)));
    const before = await db().invoiceSequence.findUnique({ where: { year: YEAR } });
    // One bad call in the middle of the batch takes no number.
    const bad = server.gql(SUBSCRIBE, { i: { planCode: 'NOPE' } }, { token: users[0].accessToken });
    const results = await Promise.all(
      users.flatMap((u) => [1, 2, 3].map(() => server.gql(SUBSCRIBE, { i: { planCode: 'TRACKING_MONTHLY' } }, { token: u.accessToken }))),
    );
    expect(errorCodes(await bad)).toEqual(['BAD_USER_INPUT']);
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const numbers = results.map((r) => Number(r.data.subscribe.invoices[0].number.split('-')[1])).sort((a, b) => a - b);
    const start = (before?.last ?? 0) + 1;
    expect(numbers).toEqual(Array.from({ length: 18 }, (_, i) => start + i));
    expect((await db().invoiceSequence.findUniqueOrThrow({ where: { year: YEAR } })).last).toBe(start + 17);
  });
});

describe('SDK operations (schema/operations/billing.graphql)', () => {
  it('lists plans, subscribes, reads the billing overview and cancels', async () => {
    const user = await signUp(server);
    const plans = await server.gql(String(ServicePlansDocument), { locale: 'LV' });
    expect(plans.data.servicePlans[0]).toMatchObject({
      code: 'TRACKING_MONTHLY',
      name: 'Izsekošana, mēneša abonements',
      requiresIdentityVerification: false,
    });
    const sub = await server.gql(String(SubscribeDocument), { input: { planCode: 'TRACKING_MONTHLY' } }, { token: user.accessToken });
    expect(sub.errors).toBeUndefined();
    const overview = await server.gql(String(MyBillingDocument), { locale: 'EN' }, { token: user.accessToken });
    expect(overview.data.me.invoices).toHaveLength(1);
    expect(overview.data.me.keptAfterDeletion[0]).toMatchObject({ dataCategory: 'ACCOUNTING_RECORDS', count: 1 });
    const cancel = await server.gql(String(CancelSubscriptionDocument), { id: sub.data.subscribe.id }, { token: user.accessToken });
    expect(cancel.data.cancelSubscription.status).toBe('CANCELLED');
  });
});
