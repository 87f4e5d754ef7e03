/**
 * Data-subject rights (GDPR art. 12-22): requests with verification and
 * deadlines, carried out on completion (export, rectification, erasure,
 * restriction, objection); self-service export in JSON, GeoJSON, GPX and
 * CSV; immediate self-service erasure.
 */
import { rightsRules } from './rules';
import { addRightsSchema } from './schema';
import { definePlugin } from '../../schema/plugin-api';

export default definePlugin({
  name: 'rights',
  description: 'Data-subject requests, exports and erasure.',
  models: ['DataSubjectRequest', 'DataExport'],
  schema: (builder, refs) => addRightsSchema(builder, refs),
  rules: rightsRules,
});
