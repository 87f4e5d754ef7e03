/**
 * Every retention rule in force: the retention plugin's own (rules-config.ts,
 * purged by categories.ts) and those other plugins register in
 * app.extensions.retentionPurgers (e.g. the protocols plugin's
 * REJECTED_FIXES), so a run, a dry run and the public list treat them alike.
 */
import { CATEGORIES, type Category } from './categories';
import { RETENTION_RULES, retentionSettings } from './rules-config';
import type { AppServices, Texts } from '../../schema/plugin-api';

export interface RuleInForce {
  dataCategory: string;
  env: string;
  period: string;
  description: Texts;
  category: Category;
}

export function rulesInForce(app: AppServices): RuleInForce[] {
  const { periods } = retentionSettings.of(app);
  const own = RETENTION_RULES.map((r) => ({
    dataCategory: r.dataCategory,
    env: r.env,
    period: periods[r.dataCategory],
    description: r.description,
    category: CATEGORIES[r.dataCategory],
  }));
  const fromPlugins = app.extensions.retentionPurgers
    .filter((p) => !own.some((r) => r.dataCategory === p.dataCategory))
    .map((p) => ({
      dataCategory: p.dataCategory,
      env: p.env,
      period: p.period(app).toUpperCase(),
      description: p.description,
      category: p,
    }));
  return [...own, ...fromPlugins];
}

/** The rules in force as the register and the public `retentionRules` show them (category, period, description). */
export function publicRules(app: AppServices) {
  return rulesInForce(app).map(({ dataCategory, period, description }) => ({ dataCategory, period, description }));
}
