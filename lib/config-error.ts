/**
 * A configuration value the app cannot deploy safely. Thrown during synthesis so `cdk synth` / `cdk deploy`
 * stop before anything reaches CloudFormation, with the offending key and value in the message.
 */
export class ConfigError extends Error {
  /** The CDK context key or construct property at fault, e.g. `memorySize`. */
  readonly key: string;
  /** The value as given (string from `-c key=value`, or the JSON value from cdk.json). */
  readonly value: unknown;

  constructor(
    kind: 'context key' | 'property',
    key: string,
    value: unknown,
    expectation: string,
    options?: ErrorOptions,
  ) {
    super(`Invalid ${kind} "${key}": ${expectation}; got ${describe(value)}`, options);
    this.name = 'ConfigError';
    this.key = key;
    this.value = value;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
