/**
 * Replaces `${Name}` placeholders in an ASL file, as CloudFormation's
 * `DefinitionSubstitutions` does. A placeholder without a value, or a value no placeholder
 * uses, is an error: the file and the description must agree.
 */
export function substitutePlaceholders(text: string, values: Readonly<Record<string, string>>, source: string): string {
  const used = new Set<string>();
  const result = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${source}: placeholder \${${name}} has no substitution`);
    used.add(name);
    return value;
  });
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length) throw new Error(`${source}: substitutions ${unused.join(', ')} are not used`);
  return result;
}
