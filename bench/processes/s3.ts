/**
 * The project's S3-compatible server (local/s3/server.ts) in its own process, so the memory it holds for the
 * stored objects and the CPU it spends are never counted against the paths being measured.
 *
 * `node bench/processes/s3.ts`
 */
import { startS3Server } from '../../local/s3/server.ts';
import { serveUntilClosed } from '../support/child.ts';

const server = await startS3Server({ host: '127.0.0.1', port: 0 });
serveUntilClosed(server.endpoint, () => server.close());
