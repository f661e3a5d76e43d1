// Every store call of a request goes through here: a database that is down, read-only or out of space
// becomes a 503 with a message a person can act on, and the log gets the error's code, not its stack.
import { AdvisoriesError, isAdvisoriesError } from '../core/errors.ts';
import { STORE_DOWN } from './errors.ts';

export async function storeCall<T>(log: (line: string) => void, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isAdvisoriesError(error) && error.code !== 'STORE') throw error;
    // The store's own message names the database; the client gets the generic one, the log the code.
    const underlying = isAdvisoriesError(error) && error.cause !== undefined ? error.cause : error;
    const code = (underlying as { code?: unknown }).code;
    log(`store error during ${what}: ${typeof code === 'string' ? code : underlying instanceof Error ? underlying.name : 'unknown'}`);
    throw new AdvisoriesError('STORE', STORE_DOWN, { cause: error });
  }
}
