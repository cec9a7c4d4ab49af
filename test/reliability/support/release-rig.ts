/**
 * The per-test housekeeping of a suite that shares one rig. Apart from rig.ts because that module also runs
 * outside jest (the runtime fixture's child process imports it), where '@jest/globals' cannot be loaded.
 */
import { afterAll, afterEach } from '@jest/globals';
import type { Rig } from './rig.ts';

/**
 * Registers the suite's clean-up: after each test the injected faults are dropped and no S3 response may be left
 * in flight (stalled or cut connections must all have been given up by the function, not left hanging); after
 * the suite the rig stops.
 */
export function releaseRigAfterEachTest(rig: () => Rig | undefined): void {
  afterEach(async () => {
    const running = rig();
    running?.proxy.clearFaults();
    await running?.proxy.waitForIdle(20_000);
  });
  afterAll(async () => {
    await rig()?.close();
  });
}
