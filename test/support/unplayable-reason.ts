import { UnplayableSourceError } from '../../lambda/hls/unplayable-source.ts';

/**
 * The reason an HLS-from-DASH parser gave for refusing its input, or 'no error' when it accepted it, so a test can
 * assert on the refusal's reason; any other throw is a bug and is rethrown.
 */
export function unplayableReason(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UnplayableSourceError) return error.reason;
    throw error;
  }
  return 'no error';
}
