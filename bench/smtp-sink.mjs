// The service bench's SMTP sink, in a worker thread of its own: the 200 clients keep the bench's main
// thread busy, and a sink there would pace the service's mail by that thread's latency. Counts the mails
// received in a shared Int32Array (index 0); posts its URL once listening.
import { parentPort, workerData } from 'node:worker_threads';
import { SMTPServer } from 'smtp-server';

const count = new Int32Array(workerData.counter);
const server = new SMTPServer({
  logger: false,
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  onData(stream, _session, callback) {
    stream.resume();
    stream.on('end', () => {
      Atomics.add(count, 0, 1);
      callback(null);
    });
  },
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(`smtp://127.0.0.1:${server.server.address().port}`));
parentPort.on('message', (m) => {
  if (m === 'close') server.close(() => process.exit(0));
});
