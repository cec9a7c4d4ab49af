/** Reading resources' Properties out of a synthesized template (values, never hashed logical IDs). */
import type { Template } from 'aws-cdk-lib/assertions';

export type Props = Record<string, unknown>;

export function propsOf(template: Template, type: string): Props[] {
  return Object.values(template.findResources(type)).map((resource) => resource.Properties as Props);
}

/** The properties of the one resource of this type (fails the test if there is none). */
export function one(template: Template, type: string): Props {
  const [first] = propsOf(template, type);
  if (first === undefined) throw new Error(`no ${type} in the template`);
  return first;
}
