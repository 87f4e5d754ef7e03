/**
 * Sections of a person's data export that live in plugins. A plugin that
 * holds personal data (cookies, marketing, audit...) adds a contributor to
 * app.registry under EXPORT_CONTRIBUTORS in its setup(); the data-subject
 * rights plugin puts each section into the JSON export under its name.
 */
import type { AppServices } from './context';

export const EXPORT_CONTRIBUTORS = 'export.contributors';

export interface ExportContributor {
  /** Key in the JSON export, e.g. "cookieConsents", "marketing", "accessLog". */
  section: string;
  /** Every personal datum this plugin holds on the account, JSON-safe. */
  collect(app: AppServices, accountId: string): Promise<unknown>;
}

export function addExportContributor(registry: Map<string, unknown>, contributor: ExportContributor) {
  const list = (registry.get(EXPORT_CONTRIBUTORS) as ExportContributor[] | undefined) ?? [];
  registry.set(EXPORT_CONTRIBUTORS, [...list, contributor]);
}

export function exportContributors(app: AppServices): ExportContributor[] {
  return (app.registry.get(EXPORT_CONTRIBUTORS) as ExportContributor[] | undefined) ?? [];
}
