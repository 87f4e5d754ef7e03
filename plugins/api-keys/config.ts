/** Settings of the api-keys plugin, validated at start with the rest of the configuration. */
import { ConfigError, defineConfigSlot, readDurationSetting } from '../../schema/plugin-api';

export interface ApiKeySettings {
  /** RETENTION_ENDED_API_KEYS: how long a revoked or expired key's record stays listed (default P30D). */
  endedKeysRetention: string;
}

export const apiKeySettings = defineConfigSlot<ApiKeySettings>('api-keys', (config) => {
  const problems: string[] = [];
  const endedKeysRetention = readDurationSetting(config.raw, 'RETENTION_ENDED_API_KEYS', 'P30D', problems);
  if (problems.length) throw new ConfigError(problems);
  return { endedKeysRetention };
});
