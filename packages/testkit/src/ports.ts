import net from 'node:net';

/**
 * Ports handed out to test processes come from a band below the kernel's ephemeral range
 * (32768–60999 on Linux), split per jest worker. A port the OS picked (listen on 0) is itself
 * ephemeral: between the moment it is found free and the moment a spawned service binds it,
 * any outgoing connection on the machine (a database or broker client) may take it as its local
 * port, and the service dies with EADDRINUSE. Below the range, only other listeners compete, and
 * each worker has a band of its own.
 */
const BAND_START = 20_000;
const BAND_SIZE = 600;
const BANDS = 20;

const worker = Number(process.env.JEST_WORKER_ID ?? '0');
const band = BAND_START + (Number.isFinite(worker) ? worker % BANDS : 0) * BAND_SIZE;
let next = band + Math.floor(Math.random() * BAND_SIZE);

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago, from this worker's band. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < BAND_SIZE; tries++) {
    const port = next;
    next = next + 1 >= band + BAND_SIZE ? band : next + 1;
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${band}–${band + BAND_SIZE - 1}`);
}
