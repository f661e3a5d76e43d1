// CSAF documents judged by the OASIS reference implementation's checks, @secvisogram/csaf-validator-lib:
// the strict CSAF 2.0 schema and every mandatory test must pass; the informative tests are reported.
// Of those, 6.3.6 and 6.3.7 fetch every URL of the document (no network in tests) and 6.3.8 spell-checks
// with hunspell (not installed): they are left out.
// @ts-expect-error the library is JavaScript with JSDoc types only
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js';
// @ts-expect-error as above
import * as mandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
// @ts-expect-error as above
import * as informative from '@secvisogram/csaf-validator-lib/informativeTests.js';
// @ts-expect-error as above
import { csaf_2_0_strict } from '@secvisogram/csaf-validator-lib/schemaTests.js';
// @ts-expect-error as above
import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';

type Message = { message: string; instancePath: string };
type TestResult = { name: string; isValid?: boolean; errors: Message[]; warnings: Message[]; infos: Message[] };
type DocumentTest = ((doc: unknown) => unknown) & { name: string };

const OFFLINE = new Set(['informativeTest_6_3_6', 'informativeTest_6_3_7', 'informativeTest_6_3_8']);
const required: DocumentTest[] = [csaf_2_0_strict, ...(Object.values(mandatory) as DocumentTest[])];
const reported: DocumentTest[] = (Object.values(informative) as DocumentTest[]).filter((t) => !OFFLINE.has(t.name));

export const MANDATORY_TESTS = required.length;
export const CWE_LIST = weaknesses as readonly { id: string; name: string }[];

export interface CsafVerdict {
  /** "test: /path message" for every error of the schema or a mandatory test. */
  errors: string[];
  /** The same for what the informative tests say (not required). */
  informative: string[];
  testsRun: number;
}

const lines = (results: TestResult[], kinds: ('errors' | 'warnings' | 'infos')[]) =>
  results.flatMap((t) => kinds.flatMap((k) => (t[k] ?? []).map((m) => `${t.name}: ${m.instancePath} ${m.message}`)));

export async function validateCsaf(doc: unknown): Promise<CsafVerdict> {
  const strict = (await validateStrict(required, doc)) as { isValid: boolean; tests: TestResult[] };
  const info = (await validateStrict(reported, doc)) as { tests: TestResult[] };
  const errors = lines(strict.tests, ['errors']);
  // A failing test without messages still fails.
  if (!strict.isValid && errors.length === 0) errors.push(...strict.tests.filter((t) => t.isValid === false).map((t) => `${t.name}: failed`));
  return { errors, informative: lines(info.tests, ['errors', 'warnings', 'infos']), testsRun: strict.tests.length };
}
