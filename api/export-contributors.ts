/**
 * Sections of a person's data export that live in plugins. A plugin that
 * holds personal data (cookies, marketing, audit...) adds a contributor to
 * app.extensions.exportContributors in its setup(); the data-subject
 * rights plugin puts each section into the JSON export under its name.
 */
import type { AppServices, ExportContributor } from './context';

export type { ExportContributor } from './context';

export function addExportContributor(app: Pick<AppServices, 'extensions'>, contributor: ExportContributor) {
  app.extensions.exportContributors.push(contributor);
}

export function exportContributors(app: AppServices): ExportContributor[] {
  return app.extensions.exportContributors;
}
