/**
 * A local stack as its own process, with options `npm start`'s environment does not offer (a small payload
 * limit, a short function timeout, the function's own variables): for tests that need the stack's real output
 * streams under those settings. `LOCAL_STACK_OPTIONS` is a JSON array of LocalStackOptions (minus `log`, which
 * stays the stack's default, stderr); one stack is started for each, and ONE ready line lists their Function
 * URLs in that order, as start-process.ts expects. Stops on SIGINT/SIGTERM like `npm start`.
 */
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../../local/stack.ts';

const optionSets = JSON.parse(process.env.LOCAL_STACK_OPTIONS ?? '[{}]') as LocalStackOptions[];
const stacks: LocalStack[] = [];
for (const options of optionSets) stacks.push(await startLocalStack({ port: 0, ...options }));
process.stdout.write(`local stacks ready: ${stacks.map((stack) => stack.url).join(' ')}\n`);

const stop = (): void => {
  Promise.all(stacks.map((stack) => stack.close())).then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
