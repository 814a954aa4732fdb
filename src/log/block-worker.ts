/**
 * Entry point of a parser worker thread: a `BlockParserHost` that handles the coordinator's requests in
 * the order they arrive. Blocks and formatted output are transferred between the threads, not copied.
 */
import { parentPort, workerData } from "node:worker_threads";
import { BlockParserHost, type BlockSettings, type HostRequest, type RecycleMessage } from "./block-host.js";
import { createResponseFileReader } from "./response-reader.js";

const port = parentPort;
if (!port) throw new Error("block-worker.js must run in a worker thread");
const host = new BlockParserHost(workerData as BlockSettings, createResponseFileReader());
port.on("message", (request: HostRequest | RecycleMessage) => {
  if (request.type === "recycle") {
    host.recycle(request.buffer);
    return;
  }
  const reply = host.handle(request);
  if (reply.type === "flushed") port.postMessage(reply, [reply.output.buffer as ArrayBuffer]);
  else if (reply.type === "parsed") port.postMessage(reply, [reply.bytes.buffer as ArrayBuffer]);
  else port.postMessage(reply);
});
