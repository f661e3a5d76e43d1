// npm run schema: regenerates schema/*.json from the zod schemas (a test fails when they are stale).
import { writeFileSync } from 'node:fs';
import { jsonSchemas } from '../src/core/json-schemas.ts';

for (const [name, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(new URL(`../schema/${name}`, import.meta.url), JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote schema/${name}`);
}
