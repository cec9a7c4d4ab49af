/**
 * `npm run sign -- <url> --expires 2h --key-pair-id ID --private-key FILE [--not-before T] [--ip CIDR] [--cookies]`:
 * mints a CloudFront signed URL or signed cookies (docs/private-media.md, "Topologies"); `--generate-key-pair DIR` writes a new
 * RSA 2048 key pair. Exit code 0 = printed, 1 = failed, 2 = usage.
 */
import { readFileSync } from 'node:fs';
import { type GenerateOptions, parseSignArgs, SIGN_USAGE, UsageError } from './sign/args.ts';
import { generateKeyPairFiles } from './sign/key-pair.ts';
import { mint } from './sign/mint.ts';

function main(argv: readonly string[]): number {
  let options: ReturnType<typeof parseSignArgs>;
  try {
    options = parseSignArgs(argv, process.env, Date.now());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`sign: ${error.message}\n${SIGN_USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${SIGN_USAGE}\n`);
    return 0;
  }
  if (options.kind === 'generate-key-pair') return generate(options);
  let privateKey: string;
  try {
    privateKey = readFileSync(options.privateKeyFile, 'utf8');
  } catch (error) {
    process.stderr.write(`sign: cannot read --private-key ${options.privateKeyFile}: ${(error as Error).message}\n`);
    return 1;
  }
  if (!/PRIVATE KEY/.test(privateKey)) {
    process.stderr.write(`sign: ${options.privateKeyFile} is not a PEM private key\n`);
    return 1;
  }
  const minted = mint(options, privateKey);
  if (minted.kind === 'url') process.stdout.write(`${minted.url}\n`);
  else if (minted.kind === 'query') {
    process.stdout.write(`# append to any URL matching ${options.url} (after "?", or "&" when it has a query):\n`);
    process.stdout.write(`${minted.query}\n`);
  } else process.stdout.write(minted.setCookie.map((line) => `Set-Cookie: ${line}\n`).join(''));
  return 0;
}

function generate(options: GenerateOptions): number {
  let files: ReturnType<typeof generateKeyPairFiles>;
  try {
    files = generateKeyPairFiles(options.dir);
  } catch (error) {
    process.stderr.write(`sign: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  process.stdout.write(
    `wrote ${files.privateKeyFile} (keep it secret) and ${files.publicKeyFile}\n` +
      `deploy: npx cdk deploy -c signingPublicKeys=<name>=${files.publicKeyFile}\n`,
  );
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`sign: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
