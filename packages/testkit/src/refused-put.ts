import http from 'node:http';

/**
 * PUTs up to `size` bytes chunk by chunk (like a streaming client) and reports the answer as soon
 * as it arrives, with how much had been written by then; the connection being cut afterwards is
 * expected. For asserting that a server refuses an upload before reading its body.
 */
export function refusedPut(
  url: string,
  size: number,
  timeoutMs = 20_000,
): Promise<{ status: number; body: Record<string, unknown>; written: number }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = http.request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'PUT',
      headers: { 'content-length': size },
    });
    let written = 0;
    let answered = false;
    const guard = setTimeout(() => (req.destroy(), reject(new Error(`no answer (written: ${written})`))), timeoutMs);
    req.on('error', (error) => {
      if (!answered) reject(error); // once answered, the connection being cut is expected
    });
    req.on('response', (res) => {
      const writtenByThen = written; // the answer is here: what the client had sent until it came
      answered = true; // stop sending
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        clearTimeout(guard);
        resolve({ status: res.statusCode!, body: JSON.parse(text) as Record<string, unknown>, written: writtenByThen });
        req.destroy();
      });
    });
    const chunk = Buffer.alloc(64 * 1024);
    const pump = () => {
      while (!answered && written < size) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}
