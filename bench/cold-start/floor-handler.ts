/**
 * The floor of a cold start: the smallest streaming Lambda handler that answers the cold-start request (a 206
 * with 2 bytes), no SDK, no S3. Built like the other bundles and run by the same runtime interface client, it
 * shows what Node, the client and the Runtime API round trips cost before any handler code: what no origin can
 * go below.
 */
export const handler = awslambda.streamifyResponse(
  async (_event: unknown, responseStream: awslambda.HttpResponseStream): Promise<void> => {
    const stream = awslambda.HttpResponseStream.from(responseStream, {
      statusCode: 206,
      headers: { 'content-range': 'bytes 0-1/2', 'accept-ranges': 'bytes' },
    });
    // write() then end(): the runtime emits the prelude on the first write, and `end(chunk)` right after from()
    // skips it.
    stream.write(Buffer.from('ab'));
    stream.end();
  },
);
