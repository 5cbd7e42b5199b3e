import type { CloudEvent, Logger } from '@campus/platform';
import type { MessageContext, NotificationDraft } from '../domain/notification';
import { dateTimeFormatter } from '../domain/russian';
import type { NotificationRule, RecipientGroup, RuleTable } from './notification-rules.service';
import type { LivePublisher, NotificationStore, UserDirectory } from './ports';

/** The inbox consumer name of this service (one per consuming purpose). */
export const NOTIFICATION_CONSUMER = 'notification';

export type NotifyOutcome = { outcome: 'ignored' } | { outcome: 'duplicate' } | { outcome: 'stored'; count: number };

export interface EventNotifierDeps {
  rules: RuleTable;
  directory: UserDirectory;
  store: NotificationStore;
  live: LivePublisher;
  timeZone: string;
}

/**
 * Turns one consumed event into notifications: looks up its rules (one per audience), resolves
 * recipients through the directory, renders each audience's message, stores everything together
 * with the inbox entry, and (after the commit) hands the new notifications to live delivery.
 * Throwing means "retry later".
 */
export class EventNotifier {
  private readonly formatDateTime: (iso: string) => string;

  constructor(private readonly deps: EventNotifierDeps) {
    this.formatDateTime = dateTimeFormatter(deps.timeZone);
  }

  /** The event types that have a rule (the consumer's queue bindings). */
  get eventTypes(): string[] {
    return [...this.deps.rules.keys()];
  }

  async handle(event: CloudEvent, logger: Logger): Promise<NotifyOutcome> {
    const audiences = this.deps.rules.get(event.type);
    if (!audiences?.length) {
      // Valid but bound by mistake (or a rule was removed): nothing to do, do not retry.
      logger.info('no notification rule for this event type; ignored');
      return { outcome: 'ignored' };
    }
    const { store } = this.deps;
    if (await store.wasProcessed(NOTIFICATION_CONSUMER, event.id)) {
      logger.info('event already processed; skipped');
      return { outcome: 'duplicate' };
    }

    const drafts = await this.draft(audiences, event.data);
    const recorded = await store.recordEvent(NOTIFICATION_CONSUMER, event.id, drafts);
    if (recorded.duplicate) {
      logger.info('event processed concurrently by another instance; skipped');
      return { outcome: 'duplicate' };
    }
    // `key` stays the first audience's (what dashboards and tests search by); `keys` lists them all.
    const keys = audiences.map((rule) => rule.key);
    logger.info({ key: keys[0], keys, recipients: recorded.created.length }, 'notifications stored');
    if (recorded.created.length) {
      // After the commit, and best effort: the notifications are safely stored; a lost live push
      // only means the client sees them on its next fetch or reconnect (Last-Event-ID).
      await this.deps.live.publish(recorded.created).catch((error: unknown) => {
        logger.warn({ err: error }, 'live delivery failed; notifications stay in the inbox');
      });
    }
    return { outcome: 'stored', count: recorded.created.length };
  }

  /**
   * Each audience's letters, in table order (and within an audience, its groups' order): someone
   * already told by an earlier audience or group is not told again. Every name any audience
   * mentions is resolved in one identity call.
   */
  private async draft(audiences: readonly NotificationRule<unknown>[], data: unknown): Promise<NotificationDraft[]> {
    const { directory } = this.deps;
    const lists = await Promise.all(
      audiences.map(async (rule) => ({ rule, groups: groupsOf(await rule.recipients(data, directory)) })),
    );
    const told = new Set<string>();
    const letters: Array<{ rule: NotificationRule<unknown>; about: string | undefined; recipients: string[] }> = [];
    for (const { rule, groups } of lists) {
      for (const { about, userIds } of groups) {
        const recipients = [...new Set(userIds)].filter((id) => !told.has(id));
        recipients.forEach((id) => told.add(id));
        if (recipients.length) letters.push({ rule, about, recipients });
      }
    }
    if (!letters.length) return [];

    const mentioned = [...new Set(letters.flatMap(({ rule }) => rule.mentions?.(data) ?? []))];
    const names = new Map(
      mentioned.length ? (await directory.usersByIds(mentioned)).map((u) => [u.id, u.fullName] as const) : [],
    );
    const context: MessageContext = { names, formatDateTime: this.formatDateTime };
    return letters.flatMap(({ rule, about, recipients }) => {
      const message = rule.render(data, context, about);
      return recipients.map((userId) => ({ userId, key: rule.key, ...message }));
    });
  }
}

/** A rule's recipients as groups: plain ids are one group that reads the one letter. */
function groupsOf(recipients: string[] | RecipientGroup[]): Array<{ about: string | undefined; userIds: string[] }> {
  const ids: string[] = [];
  const groups: RecipientGroup[] = [];
  for (const recipient of recipients) {
    if (typeof recipient === 'string') ids.push(recipient);
    else groups.push(recipient);
  }
  return ids.length ? [{ about: undefined, userIds: ids }, ...groups] : groups;
}
