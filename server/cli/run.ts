/** Runs a CLI body: configuration errors print clearly and exit 78 (EX_CONFIG); others exit 1. */
import { ConfigError } from '../../api/config';

export async function runCli(body: () => Promise<void>) {
  try {
    await body();
    process.exit(0);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
