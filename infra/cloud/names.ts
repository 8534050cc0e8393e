/**
 * Construct ids derived from the logical ids in infra/resources.ts ('plan-next-step' →
 * 'PlanNextStep'). They decide the CloudFormation logical ids, so they must stay stable:
 * a renamed table or queue would be a new, empty resource.
 */
export function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
}

/** `Object.entries` that keeps the key type of a record from the resource description. */
export function entriesOf<K extends string, V>(record: Readonly<Partial<Record<K, V>>>): [K, V][] {
  return (Object.entries(record) as [K, V | undefined][]).filter((entry): entry is [K, V] => entry[1] !== undefined);
}
