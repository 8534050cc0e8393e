#!/usr/bin/env node
// `npx aftercare …` runs this with the project's Node 22 (the `node` dev dependency comes first
// on npm's PATH); it loads the TypeScript CLI through tsx, as `npm start` does the local stack.
import { register } from 'tsx/esm/api';

register();
await import('../cli/run.ts');
