// The bench's own plain servers (bench:floor's, the plain Node hop): node:http on 127.0.0.1 reading
// each request's body whole and writing a JSON answer, with nothing of the project's HTTP stack.
import http from 'node:http';

/** `answer` gets the body as text and returns the status and the JSON to write; a throw is a 500. */
export function serveJson(
  port: number,
  answer: (body: string, req: http.IncomingMessage) => Promise<[status: number, json: unknown]>,
): http.Server {
  const reply = (res: http.ServerResponse, status: number, json: unknown) => {
    const text = JSON.stringify(json);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  return http
    .createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        answer(Buffer.concat(chunks).toString(), req).then(
          ([status, json]) => reply(res, status, json),
          (error: unknown) =>
            reply(res, 500, { errors: [{ message: String(error), extensions: { code: 'INTERNAL_ERROR' } }] }),
        );
      });
    })
    .listen(port, '127.0.0.1');
}
