#!/usr/bin/env node
// The `cpm-cf` command: the CF runs from its TypeScript sources through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../runtime/cli.ts');
