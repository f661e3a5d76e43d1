// JSON Schemas generated from the zod schemas, published in schema/ for editors (yaml-language-server).
import { z } from 'zod';
import { ConfigSchema } from './config.ts';
import { AdvisoryFrontmatter } from './schema.ts';

const BASE = 'https://raw.githubusercontent.com/scalebox-dev/advisories/main/schema/';

export function jsonSchemas(): Record<string, unknown> {
  return {
    'advisory.schema.json': {
      ...z.toJSONSchema(AdvisoryFrontmatter, { io: 'input', unrepresentable: 'any' }),
      $id: `${BASE}advisory.schema.json`,
      title: 'Security advisory frontmatter',
    },
    'config.schema.json': {
      ...z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }),
      $id: `${BASE}config.schema.json`,
      title: 'advisories.config.json',
    },
  };
}
