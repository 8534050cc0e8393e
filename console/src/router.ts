import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`#/tickets/tkt_…`): the console is static files, so any deep link works from
 * S3 and CloudFront without rewrite rules, and the browser's back button moves between views.
 */
export function useHashPath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return path;
}

function currentPath(): string {
  return decodeURI(location.hash.replace(/^#/, '')) || '/';
}

export function navigate(path: string): void {
  location.hash = path;
}

/** `#/tickets/x` as an href. */
export const href = (path: string) => `#${path}`;
