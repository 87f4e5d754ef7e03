/**
 * The smallest real plugin (see docs/plugins.md): one public field that says
 * where personal data is kept. The privacy policy promises the EU/EEA; the
 * configuration (DATA_REGION, checked at start) says which country.
 */
import { allow, definePlugin, EEA_REGIONS } from '../../schema/plugin-api';

export default definePlugin({
  name: 'data-region',
  description: 'Public statement of where personal data is stored (EU/EEA).',
  schema(builder) {
    const DataRegion = builder.objectRef<{ code: string }>('DataRegion').implement({
      description: 'Where personal data is stored and processed.',
      fields: (t) => ({
        code: t.exposeString('code', { description: 'ISO 3166-1 alpha-2 country code, or EU.' }),
        withinEea: t.boolean({
          description: 'The configuration refuses to start outside the EU/EEA.',
          resolve: (r) => EEA_REGIONS.includes(r.code),
        }),
      }),
    });
    builder.queryField('dataRegion', (t) =>
      t.field({
        type: DataRegion,
        description: 'Public: where personal data is kept.',
        resolve: (_r, _a, ctx) => ({ code: ctx.app.config.dataRegion }),
      }),
    );
  },
  rules: { Query: { dataRegion: allow }, DataRegion: allow },
});
