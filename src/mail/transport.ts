// The transport contract: send one message, say what became of it. `onTransmit` is called just before the
// first byte of the message body leaves (after the server said "354 go ahead"), and the body waits until
// the promise it returns resolves (the ledger's "unknown" row is then durable): before it, a failure means
// the server has nothing; after it, only the server's reply tells. If it rejects, nothing is sent.
import type { OutgoingMail } from '../render/mail.ts';

export type SendOutcome =
  | { state: 'sent' | 'failed-permanent' | 'unknown'; reply: string }
  /**
   * Temporary refusal (4xx) or a connection failure before the body: safe to try again. `serverWide`: the
   * server as a whole is deferring (421, a dropped or hung connection), not just this message.
   */
  | { state: 'retry'; reply: string; serverWide?: boolean }
  /** Authentication, TLS or sender refused: nothing can be sent, stop the run at once. */
  | { state: 'fatal'; reply: string };

export interface Transport {
  kind: 'smtp' | 'outbox';
  /** For output; never contains credentials. */
  describe: string;
  /** Checks the connection (and login) once before anything is sent. */
  verify(): Promise<SendOutcome | null>;
  /** Whether addresses with non-ASCII characters can be sent (the server offers SMTPUTF8); known after `verify`. */
  readonly international: boolean;
  send(mail: OutgoingMail, onTransmit: () => Promise<void>): Promise<SendOutcome>;
  close(): void;
}

export interface DkimSettings {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/** nodemailer's defaults plus the list and threading headers: one-click unsubscribe (RFC 8058) needs both List-Unsubscribe headers signed. */
export const DKIM_HEADERS = [
  'From', 'Sender', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'Cc', 'MIME-Version', 'Content-Type',
  'Content-Transfer-Encoding', 'In-Reply-To', 'References', 'List-Id', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'Auto-Submitted',
].join(':');
