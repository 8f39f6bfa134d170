import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { STATUS_CODES } from 'node:http';
import type { Environment } from '../config/environment.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { messageBody } from '../outbox/outbox-message.entity.js';
import { RequestRate } from './request-rate.js';
import { retryDelayMs } from './retry-schedule.js';
import { webhookSignature } from './signature.js';
import { DeliveryStatus } from './webhook-delivery.entity.js';
import { WebhookStatus } from './webhook-endpoint.entity.js';
import { WebhookMetrics } from './webhook-metrics.js';
import { sendWebhook, UNSENT, type SendOutcome } from './webhook-sender.js';
import { WebhooksRepository, type ClaimedDelivery, type DeliveryOutcome } from './webhooks.repository.js';

/** Messages fanned out, and deliveries claimed (and sent at once), per round. */
const BATCH = 500;
/**
 * The pause between rounds while messages keep coming: rounds then carry hundreds of messages
 * each, so the statements of a round are shared by many, and requests get the CPU in between.
 */
const BUSY_PAUSE_MS = 50;
/**
 * While this instance answers more than RUSH_REQUESTS_PER_SECOND, its rounds are a second apart:
 * on the day of a sale the buyers' requests get its event loop, quieter instances deliver the most,
 * and the outbox, durable, drains at full speed once the rush eases (BENCHMARKS.md, issue 16).
 */
const RUSH_PAUSE_MS = 1_000;
const RUSH_REQUESTS_PER_SECOND = 200;

/**
 * How long a round waits for its sends. A receiver slower than this answers in its own time: its
 * outcome is recorded by a later round, and its endpoint gets nothing more from this instance
 * until it has answered. One organiser's slow or hanging receiver then holds up no other
 * endpoint's messages, as a round waiting for its slowest send (up to two timeouts) would.
 */
const ROUND_WAIT_MS = 250;

const PURGE_EVERY_MS = 60_000;

/**
 * The worker every instance runs: fans the outbox out to endpoints and delivers what is due, at
 * least once, never from the request that caused a message. Rounds follow one another, a moment
 * apart, while there is work, and then wait WEBHOOK_POLL_INTERVAL_MS; a round never overlaps the
 * previous one.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly settings: Pick<Environment, 'WEBHOOK_TIMEOUT_SECONDS' | 'WEBHOOK_LEASE_SECONDS' | 'WEBHOOK_RETRY_BASE_SECONDS' | 'WEBHOOK_MAX_ATTEMPTS' | 'WEBHOOK_RETENTION_DAYS' | 'WEBHOOK_POLL_INTERVAL_MS' | 'WEBHOOK_ALLOW_PRIVATE_NETWORKS'>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private wokenMidRound = false;
  private lastPurge = 0;
  /** Sends left to answer after their round, each with its endpoint's id. */
  private readonly lateSends = new Map<Promise<void>, number>();
  /** Late sends that have answered, for the next round to record (rounds keep their pace, a rush's too). */
  private readonly answeredLate: Attempt[] = [];

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly transactions: TransactionRunner,
    private readonly metrics: WebhookMetrics,
    private readonly requestRate: RequestRate,
    config: ConfigService<Environment, true>,
  ) {
    const setting = <K extends keyof Environment>(key: K) => config.get(key, { infer: true });
    this.settings = {
      WEBHOOK_TIMEOUT_SECONDS: setting('WEBHOOK_TIMEOUT_SECONDS'),
      WEBHOOK_LEASE_SECONDS: setting('WEBHOOK_LEASE_SECONDS'),
      WEBHOOK_RETRY_BASE_SECONDS: setting('WEBHOOK_RETRY_BASE_SECONDS'),
      WEBHOOK_MAX_ATTEMPTS: setting('WEBHOOK_MAX_ATTEMPTS'),
      WEBHOOK_RETENTION_DAYS: setting('WEBHOOK_RETENTION_DAYS'),
      WEBHOOK_POLL_INTERVAL_MS: setting('WEBHOOK_POLL_INTERVAL_MS'),
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: setting('WEBHOOK_ALLOW_PRIVATE_NETWORKS'),
    };
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.all(this.lateSends.keys());
    await this.settle(this.answeredLate.splice(0));
  }

  /** Starts a round now rather than at the next poll (a delivery was just made due by hand). */
  wake(): void {
    if (this.running === undefined) this.schedule(0);
    else this.wokenMidRound = true;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), delayMs);
    this.timer.unref();
  }

  private round(): Promise<void> {
    this.running ??= this.work()
      .catch((error: unknown) => {
        this.logger.warn(`Webhook round failed, will retry: ${String(error)}`);
        return false;
      })
      .then((moreWaiting) => {
        this.running = undefined;
        this.schedule(this.wokenMidRound ? 0 : moreWaiting ? this.busyPause() : this.settings.WEBHOOK_POLL_INTERVAL_MS);
        this.wokenMidRound = false;
      });
    return this.running;
  }

  private busyPause(): number {
    return this.requestRate.sinceLastRead() > RUSH_REQUESTS_PER_SECOND ? RUSH_PAUSE_MS : BUSY_PAUSE_MS;
  }

  /** One round; answers whether there was work, so more may be waiting. */
  private async work(): Promise<boolean> {
    const fannedOut = await this.transactions.run((manager) => this.repository.fanOut(manager, new Date(), BATCH));
    const timeoutMs = this.settings.WEBHOOK_TIMEOUT_SECONDS * 1000;
    const leaseMs = this.settings.WEBHOOK_LEASE_SECONDS * 1000;
    const claimedAt = new Date();
    const claimed = await this.transactions.run((manager) => this.repository.claimDue(manager, claimedAt, leaseMs, BATCH, this.endpointsSendingLate()));
    // A send that starts by then is answered or abandoned before the lease runs out, so no other
    // instance sends the message meanwhile.
    const sendBy = claimedAt.getTime() + Math.min(timeoutMs, leaseMs - timeoutMs);
    const answered = await this.answeredWithinRound(claimed, sendBy);
    await this.settle([...answered, ...this.answeredLate.splice(0)]);
    await this.purgeNowAndThen();
    return fannedOut > 0 || claimed.length > 0;
  }

  /** Sends the claimed deliveries; answers the attempts answered within ROUND_WAIT_MS, and leaves the others to answer late. */
  private async answeredWithinRound(claimed: ClaimedDelivery[], sendBy: number): Promise<Attempt[]> {
    const answered: (Attempt | undefined)[] = claimed.map(() => undefined);
    const attempts = claimed.map(async (delivery, i) => (answered[i] = { delivery, outcome: await this.send(delivery, sendBy) }));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(attempts), new Promise((resolve) => (timer = setTimeout(resolve, ROUND_WAIT_MS)))]);
    clearTimeout(timer);
    claimed.forEach((delivery, i) => {
      if (answered[i] === undefined) this.answerLate(delivery.endpoint.id, attempts[i]);
    });
    return answered.filter((attempt): attempt is Attempt => attempt !== undefined);
  }

  private answerLate(endpointId: number, attempt: Promise<Attempt>): void {
    const late: Promise<void> = attempt
      .then(
        (done) => void this.answeredLate.push(done),
        // As a failed round's: the delivery is sent again once its lease runs out.
        (error: unknown) => this.logger.warn(`Webhook send failed, will retry: ${String(error)}`),
      )
      .finally(() => this.lateSends.delete(late));
    this.lateSends.set(late, endpointId);
  }

  /**
   * Endpoints with a send still out, or answered but not yet recorded (such a delivery may be past
   * its lease, due again): they sit out this instance's claims until then.
   */
  private endpointsSendingLate(): number[] {
    return [...new Set([...this.lateSends.values(), ...this.answeredLate.map(({ delivery }) => delivery.endpoint.id)])];
  }

  /** Records what became of attempts: successes together, unsent ones given back together, the rest one by one. */
  private async settle(attempts: Attempt[]): Promise<void> {
    await this.recordDelivered(attempts.filter((each): each is Sent => typeof each.outcome !== 'string' && isSuccess(each.outcome)));
    await this.giveBack(attempts.filter(({ outcome }) => outcome === UNSENT).map(({ delivery }) => delivery));
    for (const { delivery, outcome } of attempts) {
      if (outcome === 'parked') await this.park(delivery);
      else if (outcome !== UNSENT && !isSuccess(outcome)) await this.settleFailure(delivery, outcome);
    }
  }

  /** Sends one claimed delivery; a delivery whose webhook was disabled since it was fanned out is not sent. */
  private async send(delivery: ClaimedDelivery, sendBy: number): Promise<SendOutcome | typeof UNSENT | 'parked'> {
    const { endpoint, message } = delivery;
    if (endpoint.status !== WebhookStatus.Active) return 'parked';
    const now = new Date();
    const body = messageBody(message);
    const timestamp = Math.floor(now.getTime() / 1000);
    const secrets = endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil > now ? [endpoint.secret, endpoint.previousSecret] : [endpoint.secret];
    const headers = { 'webhook-id': message.messageKey, 'webhook-timestamp': String(timestamp), 'webhook-signature': webhookSignature(secrets, message.messageKey, timestamp, body) };
    return sendWebhook({ url: endpoint.url, headers, body }, this.settings.WEBHOOK_TIMEOUT_SECONDS * 1000, sendBy, this.settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS);
  }

  /** Successes in one transaction: at thousands of messages a second, one each would cost more than the sending. */
  private async recordDelivered(sent: Sent[]): Promise<void> {
    if (sent.length === 0) return;
    const now = new Date();
    await this.transactions.run((manager) => this.repository.recordDelivered(manager, sent.map(({ delivery, outcome }) => ({ delivery, statusCode: outcome.statusCode })), now));
    for (const { delivery } of sent) this.metrics.recordAttempt('delivered', (now.getTime() - delivery.message.createdAt.getTime()) / 1000);
  }

  /**
   * Deliveries to a receiver slower than their number: due again at once, and, never sent, not
   * counted as attempts, so a backlog behind a slow receiver neither burns its attempts nor reads
   * as timeouts in its delivery log.
   */
  private async giveBack(unsent: ClaimedDelivery[]): Promise<void> {
    if (unsent.length === 0) return;
    await this.transactions.run((manager) => this.repository.giveBack(manager, unsent, new Date()));
  }

  /** Waits, unscheduled, with the endpoint's other deliveries until it is active again; the claim's attempt is taken back. */
  private async park(delivery: ClaimedDelivery): Promise<void> {
    await this.record(delivery, { status: DeliveryStatus.Pending, nextAttemptAt: null, lastStatusCode: null, lastError: null, deliveredAt: null, attempts: delivery.attempts - 1 });
  }

  private async settleFailure(delivery: ClaimedDelivery, sent: SendOutcome): Promise<void> {
    const now = new Date();
    const statusCode = 'statusCode' in sent ? sent.statusCode : null;
    const lastError = 'error' in sent ? sent.error : `answered ${statusCode} ${STATUS_CODES[statusCode!] ?? ''}`.trim() + (statusCode! >= 300 && statusCode! < 400 ? ' (redirects are not followed)' : '');
    if (statusCode === 410) {
      const disabled = await this.transactions.run(async (manager) => {
        if (!(await this.repository.recordOutcome(manager, delivery, { status: DeliveryStatus.Failed, nextAttemptAt: null, lastStatusCode: 410, lastError, deliveredAt: null }))) return false;
        await this.repository.updateEndpoint(manager, delivery.endpoint.id, { status: WebhookStatus.Disabled });
        await this.repository.parkDeliveries(manager, delivery.endpoint.id);
        return true;
      });
      // Counted once committed: a transaction run again after a deadlock would count it twice.
      if (disabled) {
        this.logger.warn(`Webhook ${delivery.endpoint.id} answered 410 Gone: disabled`);
        this.metrics.recordAttempt('endpoint_gone');
      }
      return;
    }
    const givingUp = delivery.attempts >= this.settings.WEBHOOK_MAX_ATTEMPTS;
    const nextAttemptAt = givingUp ? null : new Date(now.getTime() + retryDelayMs(delivery.attempts, this.settings.WEBHOOK_RETRY_BASE_SECONDS * 1000));
    if (await this.record(delivery, { status: givingUp ? DeliveryStatus.Failed : DeliveryStatus.Pending, nextAttemptAt, lastStatusCode: statusCode, lastError, deliveredAt: null })) {
      this.metrics.recordAttempt(givingUp ? 'failed' : 'retrying');
    }
  }

  private record(delivery: ClaimedDelivery, outcome: DeliveryOutcome): Promise<boolean> {
    return this.transactions.run((manager) => this.repository.recordOutcome(manager, delivery, outcome));
  }

  private async purgeNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    const cutoff = new Date(Date.now() - this.settings.WEBHOOK_RETENTION_DAYS * 86_400_000);
    const purged = await this.transactions.run((manager) => this.repository.purge(manager, cutoff));
    if (purged > 0) this.logger.log(`Purged ${purged} delivered webhook message(s) older than ${this.settings.WEBHOOK_RETENTION_DAYS} days`);
  }
}

type Attempt = { delivery: ClaimedDelivery; outcome: SendOutcome | typeof UNSENT | 'parked' };
type Sent = { delivery: ClaimedDelivery; outcome: { statusCode: number } };

function isSuccess(outcome: SendOutcome): outcome is { statusCode: number } {
  return 'statusCode' in outcome && outcome.statusCode >= 200 && outcome.statusCode < 300;
}
