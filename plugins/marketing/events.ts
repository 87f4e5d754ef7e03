/** The events the marketing plugin emits, typed for every hook that listens (declaration merging). */
export const MARKETING_EVENTS = ['marketing.optedOut'] as const;

declare module '../../api/events' {
  interface PluginEvents {
    /** An opt-out was stored (effective at once). */
    'marketing.optedOut': { accountId: string; optOutId: string; scope: string; channel: string | null; via: string };
  }
}
