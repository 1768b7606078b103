// Starts fauxqs (SQS + SNS emulator) on 127.0.0.1 only.
//
// fauxqs's own CLI (startFauxqs) always listens on 0.0.0.0; this launcher builds the same app with
// buildApp() and fresh stores, exactly as startFauxqs does, but listens on loopback.
//
// Environment:
//   FAUXQS_PORT            port to listen on (default 4566; 0 picks a free one)
//   FAUXQS_DEFAULT_REGION  region used in queue/topic ARNs (default ap-southeast-3)
//   FAUXQS_MODULE          path to fauxqs's dist/app.js (default: <repo>/.cache/fauxqs/node_modules/fauxqs/dist/app.js)
//   FAUXQS_LOGGER          "true" logs every request (default: warnings only)
//
// FAUXQS_HOST is deliberately not used, and the SQS store's host (which defaults to "localhost") is cleared:
// with a host, fauxqs writes queue URLs as http://sqs.<region>.<host>:<port>/..., a name that does not
// resolve everywhere. Without one, queue URLs use the request's Host header
// (http://127.0.0.1:<port>/000000000000/<name>), so a client can call the URL it was given as is. fauxqs
// looks queues up by exact URL, so every client must use the same endpoint spelling (127.0.0.1, not localhost).

import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const modulePath =
  process.env.FAUXQS_MODULE ??
  path.join(here, "..", "..", ".cache", "fauxqs", "node_modules", "fauxqs", "dist", "app.js");

let fauxqs;
try {
  fauxqs = await import(pathToFileURL(modulePath).href);
} catch (err) {
  console.error(`fauxqs not found at ${modulePath} (run "make tools"): ${err.message}`);
  process.exit(2);
}

// Same store wiring as fauxqs's startFauxqs().
const { SqsStore } = await import(new URL("./sqs/sqsStore.js", pathToFileURL(modulePath)).href);
const { SnsStore } = await import(new URL("./sns/snsStore.js", pathToFileURL(modulePath)).href);
const { S3Store } = await import(new URL("./s3/s3Store.js", pathToFileURL(modulePath)).href);

const portText = process.env.FAUXQS_PORT ?? "4566";
const port = Number.parseInt(portText, 10);
if (!Number.isInteger(port) || port < 0 || port > 65535 || String(port) !== portText.trim()) {
  console.error(`FAUXQS_PORT=${portText} is not a port number`);
  process.exit(2);
}
const defaultRegion = process.env.FAUXQS_DEFAULT_REGION || "ap-southeast-3";

const sqsStore = new SqsStore();
sqsStore.host = ""; // see the note on FAUXQS_HOST above
const app = fauxqs.buildApp({
  logger: process.env.FAUXQS_LOGGER === "true" ? true : { level: "warn" },
  defaultRegion,
  stores: { sqsStore, snsStore: new SnsStore(), s3Store: new S3Store() },
});

try {
  const address = await app.listen({ port, host: "127.0.0.1" });
  console.log(`fauxqs listening on ${address} (region ${defaultRegion})`);
} catch (err) {
  console.error(`fauxqs could not listen on 127.0.0.1:${port}: ${err.message}`);
  process.exit(1);
}

let closing = false;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    await app.close().catch(() => {});
    process.exit(0);
  });
}
