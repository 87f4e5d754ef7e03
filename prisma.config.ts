// Prisma CLI configuration. The schema Prisma sees is the merged one
// (core + plugins), written by `npm run generate`.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'generated/schema.prisma',
  migrations: { path: 'api/db/migrations' },
});
