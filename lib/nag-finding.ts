import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 acknowledges IAM5 ("wildcard permissions") per finding, and a finding names the resource as cdk-nag
 * flattens it from the resolved template: `Fn::GetAtt` -> `<LogicalId.Attr>`, `Ref` -> `<Name>`, `Fn::Join` ->
 * joined parts (cdk-nag lib/utils/flatten-cfn-reference.js). Computing the same string here keeps the
 * acknowledgment exact (no blanket IAM5 acknowledgment) without hard-coding a hashed logical ID.
 */
export function wildcardResourceFinding(scope: IConstruct, arn: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(arn))}]`;
}

function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node !== 'object' || node === null) return JSON.stringify(node) ?? '';
  const record = node as Record<string, unknown>;
  const join = record['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map(flatten).join(join[0]);
  }
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `<${flatten(getAtt[0])}.${flatten(getAtt[1])}>`;
  if ('Ref' in record) return `<${flatten(record.Ref)}>`;
  return JSON.stringify(node);
}
