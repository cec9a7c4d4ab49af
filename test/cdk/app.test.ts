/**
 * The app as ops run it: the pinned CDK CLI reading cdk.json (`npx cdk synth`, offline, no Docker, no AWS
 * credentials), and bin/media-origin.ts failing loudly on bad context.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'media-origin-app-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'node_modules/.bin');
/** What `npm run` gives a script: the project's Node 24 and CLIs first; no AWS profile, no credentials. */
const env = {
  PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
  HOME: join(scratch, 'home'),
  CDK_DISABLE_VERSION_CHECK: '1',
};

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function outcome(file: string, args: readonly string[], extraEnv: Record<string, string> = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(file, [...args], {
      cwd: root,
      env: { ...env, ...extraEnv },
      timeout: 240_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

test('`cdk synth` with the pinned CLI writes the template offline, with cdk-nag clean', async () => {
  // Prepare
  const out = mkdtempSync(join(scratch, 'synth-'));
  // Act
  const result = await outcome(join(bin, 'cdk'), [
    'synth',
    '--quiet',
    '--no-notices',
    '--no-version-reporting',
    '-o',
    out,
  ]);
  // Assess
  expect(result.stderr).not.toMatch(/AwsSolutions-/);
  expect(result.code).toBe(0);
  const template = JSON.parse(readFileSync(join(out, 'MediaOrigin.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  };
  const types = Object.values(template.Resources).map((resource) => resource.Type);
  expect(types).toEqual(
    expect.arrayContaining(['AWS::Lambda::Function', 'AWS::Lambda::Url', 'AWS::CloudFront::Distribution']),
  );
  const report = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
  expect(report.pluginReports).toEqual([]);
}, 300_000);

test('a typo in a context key stops synthesis with a message naming it, before any bundling', async () => {
  // Prepare
  const out = mkdtempSync(join(scratch, 'synth-'));
  // Act: what the CLI does for `cdk synth -c keyprefix=media/`
  const result = await outcome(join(bin, 'node'), ['bin/media-origin.ts'], {
    CDK_OUTDIR: out,
    CDK_CONTEXT_JSON: JSON.stringify({ keyprefix: 'media/' }),
  });
  // Assess
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(
    'Invalid context key "keyprefix": unknown key (did you mean "keyPrefix"?); got "media/"',
  );
  expect(result.stderr).not.toContain('    at ');
  expect(existsSync(join(out, 'MediaOrigin.template.json'))).toBe(false);
}, 60_000);
