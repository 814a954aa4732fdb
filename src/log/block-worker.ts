/**
 * Entry point of a parser worker thread: a `BlockParserHost` that handles the coordinator's requests in
 * the order of `HostRequestQueue`, so replies can leave in another order than the requests came. Blocks
 * and formatted output are transferred between the threads, not copied.
 */
import { parentPort, workerData } from "node:worker_threads";
import {
  BlockParserHost,
  type BlockSettings,
  HostRequestQueue,
  type RecycleMessage,
  type ReplyMessage,
  type RequestMessage,
} from "./block-host.js";
import { createResponseFileReader } from "./response-reader.js";

const port = parentPort;
if (!port) throw new Error("block-worker.js must run in a worker thread");
const host = new BlockParserHost(workerData as BlockSettings, createResponseFileReader());
const queue = new HostRequestQueue<RequestMessage>();
let scheduled = false;

// One request per macrotask, so the messages that arrived during a long parse are all queued, and so
// ordered, before the next request is picked.
const schedule = () => {
  if (scheduled || queue.size === 0) return;
  scheduled = true;
  setImmediate(handleNext);
};

const handleNext = () => {
  scheduled = false;
  const { id, request } = queue.shift() as RequestMessage;
  const reply = host.handle(request);
  const message: ReplyMessage = { id, reply };
  if (reply.type === "flushed") port.postMessage(message, [reply.output.buffer as ArrayBuffer]);
  else if (reply.type === "parsed") port.postMessage(message, [reply.bytes.buffer as ArrayBuffer]);
  else port.postMessage(message);
  schedule();
};

port.on("message", (message: RequestMessage | RecycleMessage) => {
  if (message.type === "recycle") {
    host.recycle(message.buffer);
    return;
  }
  queue.push(message.request, message);
  schedule();
});
